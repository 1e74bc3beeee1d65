using Attribution.Webhooks;
using Microsoft.AspNetCore.Http;

namespace Attribution.Tests.Webhooks;

public sealed class WebhookBodyReaderTests
{
    private const long Limit = 25L * 1024 * 1024;

    [Fact]
    public async Task ChunkedBodyOverLimit_StopsReadingJustPastTheLimit()
    {
        var stream = new WebhookSecurityTests.EndlessStream(Limit * 4);
        var context = new DefaultHttpContext();
        context.Request.Body = stream;

        var body = await WebhookBodyReader.ReadAsync(context.Request, Limit, CancellationToken.None);

        body.Should().BeNull();
        stream.Served.Should().BeLessThanOrEqualTo(Limit + (64 * 1024));
    }

    [Fact]
    public async Task DeclaredLengthOverLimit_ReadsNothing()
    {
        var stream = new WebhookSecurityTests.EndlessStream(Limit * 4);
        var context = new DefaultHttpContext();
        context.Request.Body = stream;
        context.Request.ContentLength = Limit + 1;

        var body = await WebhookBodyReader.ReadAsync(context.Request, Limit, CancellationToken.None);

        body.Should().BeNull();
        stream.Served.Should().Be(0);
    }

    [Fact]
    public async Task BodyAtTheLimit_IsReadWhole()
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(new byte[1000]);

        var body = await WebhookBodyReader.ReadAsync(context.Request, 1000, CancellationToken.None);

        body.Should().HaveCount(1000);
    }
}
