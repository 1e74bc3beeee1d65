using System.Net;
using Attribution.Backfill;

namespace Attribution.Tests.Backfill;

public sealed class RetryPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    private static Func<string, string?> Headers(params (string Name, string Value)[] headers) =>
        name => headers.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Value;

    [Fact]
    public void Decide_PrimaryLimitExhausted_WaitsUntilResetPlusOneSecond()
    {
        var reset = Now.AddMinutes(10).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var decision = RetryPolicy.Decide(HttpStatusCode.Forbidden, Headers(("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", reset)), "{}", 0, Now, 0.5);

        decision.Should().Be(new RetryDecision(RetryKind.PrimaryRateLimit, TimeSpan.FromSeconds(601)));
    }

    [Fact]
    public void Decide_GitLabRateLimitHeaders_WaitUntilReset()
    {
        var reset = Now.AddSeconds(30).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var decision = RetryPolicy.Decide(HttpStatusCode.TooManyRequests, Headers(("RateLimit-Remaining", "0"), ("RateLimit-Reset", reset)), null, 0, Now, 0.5);

        decision.Should().Be(new RetryDecision(RetryKind.PrimaryRateLimit, TimeSpan.FromSeconds(31)));
    }

    [Fact]
    public void Decide_ResetInThePast_RetriesAfterOneSecond()
    {
        var reset = Now.AddMinutes(-1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var decision = RetryPolicy.Decide(HttpStatusCode.Forbidden, Headers(("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", reset)), null, 0, Now, 0.5);

        decision.Delay.Should().Be(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Decide_RetryAfterSeconds_WinsOverEverythingElse()
    {
        var decision = RetryPolicy.Decide(HttpStatusCode.Forbidden, Headers(("Retry-After", "42"), ("X-RateLimit-Remaining", "10")), "secondary rate limit", 3, Now, 0.5);

        decision.Should().Be(new RetryDecision(RetryKind.SecondaryRateLimit, TimeSpan.FromSeconds(42)));
    }

    [Fact]
    public void Decide_RetryAfterHttpDate_WaitsUntilThatTime()
    {
        var decision = RetryPolicy.Decide(HttpStatusCode.TooManyRequests, Headers(("Retry-After", Now.AddSeconds(90).ToString("r", System.Globalization.CultureInfo.InvariantCulture))), null, 0, Now, 0.5);

        decision.Delay.Should().Be(TimeSpan.FromSeconds(90));
    }

    [Fact]
    public void Decide_SecondaryLimitMessageWithoutHeaders_WaitsAMinuteDoublingPerAttempt()
    {
        var body = """{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}""";

        var first = RetryPolicy.Decide(HttpStatusCode.Forbidden, Headers(), body, 0, Now, 0.5);
        var second = RetryPolicy.Decide(HttpStatusCode.Forbidden, Headers(), body, 1, Now, 0.5);

        first.Should().Be(new RetryDecision(RetryKind.SecondaryRateLimit, TimeSpan.FromSeconds(60)));
        second.Delay.Should().Be(TimeSpan.FromSeconds(120));
    }

    [Fact]
    public void Decide_PlainForbidden_DoesNotRetry()
    {
        var decision = RetryPolicy.Decide(HttpStatusCode.Forbidden, Headers(("X-RateLimit-Remaining", "4999")), """{"message":"Resource not accessible by integration"}""", 0, Now, 0.5);

        decision.Should().Be(RetryDecision.Stop);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.UnprocessableEntity)]
    [InlineData(HttpStatusCode.NotImplemented)]
    public void Decide_ClientErrors_DoNotRetry(HttpStatusCode status)
    {
        RetryPolicy.Decide(status, Headers(), null, 0, Now, 0.5).Should().Be(RetryDecision.Stop);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public void Decide_ServerErrors_BackOff(HttpStatusCode status)
    {
        var decision = RetryPolicy.Decide(status, Headers(), null, 2, Now, 1.0);

        decision.Should().Be(new RetryDecision(RetryKind.ServerError, TimeSpan.FromSeconds(4)));
    }

    [Theory]
    [InlineData(0, 0.0, 0.5)]
    [InlineData(0, 1.0, 1.0)]
    [InlineData(3, 0.0, 4.0)]
    [InlineData(3, 1.0, 8.0)]
    [InlineData(20, 1.0, 60.0)]
    public void Backoff_GrowsExponentiallyWithJitterAndCap(int attempt, double jitter, double seconds)
    {
        RetryPolicy.Backoff(attempt, jitter).Should().Be(TimeSpan.FromSeconds(seconds));
    }
}
