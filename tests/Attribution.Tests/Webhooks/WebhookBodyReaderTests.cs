using System.Security.Cryptography;
using Attribution.Hosting;
using Attribution.Tests.Infrastructure;
using Attribution.Webhooks;
using Microsoft.AspNetCore.Http;

namespace Attribution.Tests.Webhooks;

public sealed class WebhookBodyReaderTests
{
    private const long Limit = 25L * 1024 * 1024;

    private static WebhookBodyBudget Budget(long bytes = 64L * 1024 * 1024) => new(new FixedOptions<WebhookOptions>(new WebhookOptions { MaxInFlightBodyBytes = bytes }));

    [Fact]
    public async Task ChunkedBodyOverLimit_StopsReadingJustPastTheLimit()
    {
        var stream = new WebhookSecurityTests.EndlessStream(Limit * 4);
        var context = new DefaultHttpContext();
        context.Request.Body = stream;
        var budget = Budget();

        var read = await WebhookBodyReader.ReadAsync(context.Request, Limit, budget, null, CancellationToken.None);

        (read.Status, read.Body, read.Reserved, budget.InUse).Should().Be((BodyReadStatus.TooLarge, null, 0L, 0L));
        stream.Served.Should().BeLessThanOrEqualTo(Limit + (64 * 1024));
    }

    [Fact]
    public async Task DeclaredLengthOverLimit_ReadsNothing()
    {
        var stream = new WebhookSecurityTests.EndlessStream(Limit * 4);
        var context = new DefaultHttpContext();
        context.Request.Body = stream;
        context.Request.ContentLength = Limit + 1;

        var read = await WebhookBodyReader.ReadAsync(context.Request, Limit, Budget(), null, CancellationToken.None);

        read.Status.Should().Be(BodyReadStatus.TooLarge);
        stream.Served.Should().Be(0);
    }

    [Fact]
    public async Task BodyAtTheLimit_IsReadWholeAndItsHmacComputedAsItArrives()
    {
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(bytes);
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, "k"u8.ToArray());
        var budget = Budget();

        var read = await WebhookBodyReader.ReadAsync(context.Request, bytes.Length, budget, hmac, CancellationToken.None);

        read.Body.Should().Equal(bytes);
        hmac.GetHashAndReset().Should().Equal(HMACSHA256.HashData("k"u8, bytes));
        budget.InUse.Should().Be(read.Reserved).And.BeGreaterThanOrEqualTo(bytes.Length);
        budget.Release(read.Reserved);
        budget.InUse.Should().Be(0);
    }

    [Fact]
    public async Task DeclaredBodyPastTheInFlightBudget_NotRead()
    {
        var budget = Budget(1024 * 1024);
        budget.TryReserve(600_000).Should().BeTrue("another body is being read");
        var stream = new WebhookSecurityTests.EndlessStream(600_000);
        var context = new DefaultHttpContext();
        context.Request.Body = stream;
        context.Request.ContentLength = 600_000;

        var read = await WebhookBodyReader.ReadAsync(context.Request, Limit, budget, null, CancellationToken.None);

        read.Status.Should().Be(BodyReadStatus.Busy);
        stream.Served.Should().Be(0);
        budget.InUse.Should().Be(600_000);
    }

    [Fact]
    public async Task ChunkedBodyPastTheInFlightBudget_StopsAndReleasesWhatItHeld()
    {
        var budget = Budget(1024 * 1024);
        budget.TryReserve(100).Should().BeTrue("another body is being read");
        var stream = new WebhookSecurityTests.EndlessStream(Limit);
        var context = new DefaultHttpContext();
        context.Request.Body = stream;

        var read = await WebhookBodyReader.ReadAsync(context.Request, Limit, budget, null, CancellationToken.None);

        read.Status.Should().Be(BodyReadStatus.Busy);
        stream.Served.Should().BeLessThanOrEqualTo(1024 * 1024);
        budget.InUse.Should().Be(100);
    }

    [Fact]
    public async Task ClientGoneMidBody_AbortedNotThrown()
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new BrokenStream();
        context.Request.ContentLength = 1000;
        var budget = Budget();

        var read = await WebhookBodyReader.ReadAsync(context.Request, Limit, budget, null, CancellationToken.None);

        read.Status.Should().Be(BodyReadStatus.Aborted);
        budget.InUse.Should().Be(0);
    }

    private sealed class BrokenStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("The client reset the request stream.");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
