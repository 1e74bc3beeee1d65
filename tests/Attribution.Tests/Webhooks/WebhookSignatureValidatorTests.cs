using System.Text;
using Attribution.Webhooks;

namespace Attribution.Tests.Webhooks;

public sealed class WebhookSignatureValidatorTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"zen\":\"Keep it logically awesome.\"}");
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void HubSignature_Matching_IsValid() =>
        WebhookSignatureValidator.ValidateHubSignature("s3cret", Body, SignedWebhookClient.HubSignature("s3cret", Body)).Should().Be(WebhookSignatureResult.Valid);

    [Fact]
    public void HubSignature_KnownVector_IsValid()
    {
        // GitHub's documented example: secret "It's a Secret to Everybody", payload "Hello, World!".
        var body = Encoding.UTF8.GetBytes("Hello, World!");

        WebhookSignatureValidator.ValidateHubSignature("It's a Secret to Everybody", body, "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")
            .Should().Be(WebhookSignatureResult.Valid);
    }

    [Theory]
    [InlineData(null, WebhookSignatureResult.Missing)]
    [InlineData("", WebhookSignatureResult.Missing)]
    [InlineData("sha1=abc", WebhookSignatureResult.Malformed)]
    [InlineData("sha256=xyz", WebhookSignatureResult.Malformed)]
    [InlineData("sha256=0000000000000000000000000000000000000000000000000000000000000000", WebhookSignatureResult.Mismatch)]
    public void HubSignature_BadHeader_IsRejected(string? header, WebhookSignatureResult expected) =>
        WebhookSignatureValidator.ValidateHubSignature("s3cret", Body, header).Should().Be(expected);

    [Fact]
    public void HubSignature_UppercaseHex_IsAccepted() =>
        WebhookSignatureValidator.ValidateHubSignature("s3cret", Body, "sha256=" + SignedWebhookClient.HubSignature("s3cret", Body)[7..].ToUpperInvariant())
            .Should().Be(WebhookSignatureResult.Valid);

    [Theory]
    [InlineData("token", WebhookSignatureResult.Valid)]
    [InlineData("tokem", WebhookSignatureResult.Mismatch)]
    [InlineData("token-longer", WebhookSignatureResult.Mismatch)]
    [InlineData(null, WebhookSignatureResult.Missing)]
    public void Token_ComparesWholeValue(string? presented, WebhookSignatureResult expected) =>
        WebhookSignatureValidator.ValidateToken("token", presented).Should().Be(expected);

    [Fact]
    public void StandardWebhook_WhsecSecret_UsesDecodedKey()
    {
        const string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        var signature = SignedWebhookClient.StandardSignature(secret, "msg_1", Now.ToUnixTimeSeconds(), Body);

        WebhookSignatureValidator.ValidateStandardWebhook(secret, "msg_1", Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), signature, Body, Now)
            .Should().Be(WebhookSignatureResult.Valid);
    }

    [Fact]
    public void StandardWebhook_KnownVector_IsValid()
    {
        // The Standard Webhooks specification's example.
        var body = Encoding.UTF8.GetBytes("{\"test\": 2432232314}");
        var now = DateTimeOffset.FromUnixTimeSeconds(1614265330);

        WebhookSignatureValidator.ValidateStandardWebhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330",
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", body, now).Should().Be(WebhookSignatureResult.Valid);
    }

    [Fact]
    public void StandardWebhook_PlainSecret_UsesUtf8Bytes()
    {
        var signature = SignedWebhookClient.StandardSignature("plain-secret", "msg_2", Now.ToUnixTimeSeconds(), Body);

        WebhookSignatureValidator.ValidateStandardWebhook("plain-secret", "msg_2", Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), signature, Body, Now)
            .Should().Be(WebhookSignatureResult.Valid);
    }

    [Theory]
    [InlineData(-301, WebhookSignatureResult.TimestampOutOfRange)]
    [InlineData(301, WebhookSignatureResult.TimestampOutOfRange)]
    [InlineData(-299, WebhookSignatureResult.Valid)]
    [InlineData(299, WebhookSignatureResult.Valid)]
    public void StandardWebhook_Timestamp_MustBeWithinFiveMinutes(int offsetSeconds, WebhookSignatureResult expected)
    {
        var ts = Now.AddSeconds(offsetSeconds).ToUnixTimeSeconds();
        var signature = SignedWebhookClient.StandardSignature("k", "msg_3", ts, Body);

        WebhookSignatureValidator.ValidateStandardWebhook("k", "msg_3", ts.ToString(System.Globalization.CultureInfo.InvariantCulture), signature, Body, Now)
            .Should().Be(expected);
    }

    [Fact]
    public void StandardWebhook_SignatureOfOtherId_IsMismatch()
    {
        var ts = Now.ToUnixTimeSeconds();
        var signature = SignedWebhookClient.StandardSignature("k", "msg_other", ts, Body);

        WebhookSignatureValidator.ValidateStandardWebhook("k", "msg_4", ts.ToString(System.Globalization.CultureInfo.InvariantCulture), signature, Body, Now)
            .Should().Be(WebhookSignatureResult.Mismatch);
    }

    [Theory]
    [InlineData("v2,abc")]
    [InlineData("garbage")]
    public void StandardWebhook_NoV1Entry_IsMalformed(string header) =>
        WebhookSignatureValidator.ValidateStandardWebhook("k", "msg_5", Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), header, Body, Now)
            .Should().Be(WebhookSignatureResult.Malformed);

    [Fact]
    public void StandardWebhook_TimestampNotANumber_IsMalformed() =>
        WebhookSignatureValidator.ValidateStandardWebhook("k", "msg_6", "yesterday", "v1,abc", Body, Now).Should().Be(WebhookSignatureResult.Malformed);
}
