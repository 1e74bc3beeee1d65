using System.Security.Cryptography;
using System.Text;
using Attribution.Artifacts;

namespace Attribution.Tests.Artifacts;

public sealed class AttributionSignerTests
{
    private static readonly SigningKey Key = new("secret", "prod-a");

    private static AttributionMetadata Vector => new()
    {
        V = 1,
        InstanceId = "prod-a",
        Workspace = "default",
        Repo = "owner/repo",
        Number = 42,
        SpanId = "span-1",
        AgentId = "agent-1",
        AgentName = "coder",
    };

    private static AttributionMetadata Signed(AttributionMetadata m, string secret = "secret") => m with { Sig = AttributionSigner.ComputeSignature(m, secret) };

    [Fact]
    public void Canonical_ContractVector_JoinsTrimmedFieldsWithNewlines()
    {
        AttributionSigner.Canonical(Vector with { Repo = " Owner/Repo ", AgentName = "coder " })
            .Should().Be("1\nprod-a\ndefault\nowner/repo\n42\nspan-1\nagent-1\ncoder");
    }

    [Fact]
    public void ComputeSignature_ContractVector_MatchesPublishedSignature()
    {
        AttributionSigner.ComputeSignature(Vector, "secret").Should().Be("8SgxHRvnKUl7guVCxqINLUwTB7X_aQhEkObR2oP8PyA");
    }

    [Fact]
    public void ComputeSignature_SecretWithSurroundingWhitespace_IsTrimmed()
    {
        AttributionSigner.ComputeSignature(Vector, "  secret\n").Should().Be("8SgxHRvnKUl7guVCxqINLUwTB7X_aQhEkObR2oP8PyA");
    }

    [Fact]
    public void Canonical_EmptyInstanceAndNoNumber_UseDefaultAndZero()
    {
        AttributionSigner.Canonical(Vector with { InstanceId = " ", Number = 0 })
            .Should().Be("1\ndefault\ndefault\nowner/repo\n0\nspan-1\nagent-1\ncoder");
    }

    [Fact]
    public void CommentMarker_ContractVector_IsGoJsonInFieldOrder()
    {
        AttributionMarkers.CommentMarker(Signed(Vector)).Should().Be(
            "<!-- agents-run: {\"v\":1,\"instance_id\":\"prod-a\",\"workspace\":\"default\",\"repo\":\"owner/repo\",\"number\":42,"
            + "\"span_id\":\"span-1\",\"agent_id\":\"agent-1\",\"agent_name\":\"coder\",\"sig\":\"8SgxHRvnKUl7guVCxqINLUwTB7X_aQhEkObR2oP8PyA\"} -->");
    }

    [Fact]
    public void Serialize_NumberZero_OmitsNumber()
    {
        AttributionJson.Serialize(Vector with { Number = 0, AgentId = "" })
            .Should().Be("{\"v\":1,\"instance_id\":\"prod-a\",\"workspace\":\"default\",\"repo\":\"owner/repo\",\"span_id\":\"span-1\",\"agent_name\":\"coder\"}");
    }

    [Theory]
    [InlineData("eyJ2IjoxLCJpbnN0YW5jZV9pZCI6InRzLWxvbmVzdGFyIiwid29ya3NwYWNlIjoiZGVmYXVsdCIsInJlcG8iOiJlbG95bHAvYWdlbnRzIiwic3Bhbl9pZCI6IjQyOGVjYjA5MjA0NTliMjQiLCJhZ2VudF9pZCI6ImFnZW50XzBmYjgyZDFmZTM0ZTQ1NDA4YmQyZmVlMTUzZjcwMDNkIiwiYWdlbnRfbmFtZSI6ImNvZGVyIiwic2lnIjoiZV9KR3RialRrS1lsZm9PM0Vla0x3N2RxLTVENmFjb25kaEcwbUZRMm5iSSJ9", "428ecb0920459b24")]
    [InlineData("eyJ2IjoxLCJpbnN0YW5jZV9pZCI6InRzLWxvbmVzdGFyIiwid29ya3NwYWNlIjoiZGVmYXVsdCIsInJlcG8iOiJlbG95bHAvYWdlbnRzIiwic3Bhbl9pZCI6IjQ5NjQ0NzNkOGIyMmE3NTUiLCJhZ2VudF9pZCI6ImFnZW50XzBmYjgyZDFmZTM0ZTQ1NDA4YmQyZmVlMTUzZjcwMDNkIiwiYWdlbnRfbmFtZSI6ImNvZGVyIiwic2lnIjoiOEtqNkJSamNOMGEzWUZUc3RxQ3NzQkZtWXk2cUdrV2toY2NLdnMxVW1USSJ9", "4964473d8b22a755")]
    public void TrailerValue_AgentsProjectTrailerFromSeed_DecodesAndReencodesByteForByte(string value, string span)
    {
        var metadata = AttributionMarkers.DecodeTrailerValue(value, out var error);

        error.Should().BeNull();
        metadata!.SpanId.Should().Be(span);
        metadata.InstanceId.Should().Be("ts-lonestar");
        AttributionMarkers.TrailerValue(metadata).Should().Be(value);
    }

    [Fact]
    public void Verify_CommentMarkerRoundTrip_IsValid()
    {
        var marker = AttributionMarkers.CommentMarker(AttributionSigner.Create(Key, "default", "Owner/Repo", 42, "span-1", "agent-1", "coder"));

        var check = AttributionMarkers.CheckBody("Looks good.\n\n" + marker + "\n", Key, "owner/repo", 42);

        check!.Verdict.Should().Be(AttributionVerdict.Valid);
        check.Metadata!.SpanId.Should().Be("span-1");
    }

    [Fact]
    public void Verify_TrailerRoundTrip_IsValid()
    {
        var trailer = AttributionMarkers.TrailerLine(AttributionSigner.Create(Key, "default", "owner/repo", 0, "span-9", "", "coder"));

        var check = AttributionMarkers.CheckMessage("fix: thing\n\nbody\n\n" + trailer + "\nAgents-Run: span-9\n", Key, "owner/repo");

        check!.Verdict.Should().Be(AttributionVerdict.Valid);
        check.Metadata!.SpanId.Should().Be("span-9");
    }

    [Fact]
    public void Verify_WrongSecret_IsInvalidSignature()
    {
        AttributionSigner.Verify(Signed(Vector, "other"), Key, "owner/repo", 42).Verdict.Should().Be(AttributionVerdict.InvalidSignature);
    }

    [Fact]
    public void Verify_OtherInstance_IsInstanceMismatch()
    {
        var check = AttributionSigner.Verify(Signed(Vector), Key with { InstanceId = "prod-b" }, "owner/repo", 42);

        check.Verdict.Should().Be(AttributionVerdict.InstanceMismatch);
        check.Reason.Should().Contain("prod-a").And.Contain("prod-b");
    }

    [Fact]
    public void Verify_OtherRepo_IsRepoMismatch()
    {
        AttributionSigner.Verify(Signed(Vector), Key, "owner/other", 42).Verdict.Should().Be(AttributionVerdict.RepoMismatch);
    }

    [Fact]
    public void Verify_RepoDiffersOnlyInCase_IsValid()
    {
        AttributionSigner.Verify(Signed(Vector), Key, "OWNER/Repo", 42).Verdict.Should().Be(AttributionVerdict.Valid);
    }

    [Fact]
    public void Verify_MetadataForAnotherPr_IsNumberMismatch()
    {
        AttributionSigner.Verify(Signed(Vector), Key, "owner/repo", 7).Verdict.Should().Be(AttributionVerdict.NumberMismatch);
    }

    [Fact]
    public void Verify_VersionTwo_IsUnsupportedVersion()
    {
        var v2 = Vector with { V = 2 };

        AttributionSigner.Verify(Signed(v2), Key, "owner/repo", 42).Verdict.Should().Be(AttributionVerdict.UnsupportedVersion);
    }

    [Fact]
    public void Verify_NoSig_IsUnsigned()
    {
        AttributionSigner.Verify(Vector, Key, "owner/repo", 42).Verdict.Should().Be(AttributionVerdict.Unsigned);
    }

    [Fact]
    public void Verify_TamperedSignature_IsInvalidSignature()
    {
        var signed = Signed(Vector);
        var tampered = signed with { Sig = signed.Sig[..^5] + "AAAAA" };

        AttributionSigner.Verify(tampered, Key, "owner/repo", 42).Verdict.Should().Be(AttributionVerdict.InvalidSignature);
    }

    [Fact]
    public void Verify_TamperedField_IsInvalidSignature()
    {
        AttributionSigner.Verify(Signed(Vector) with { SpanId = "span-2" }, Key, "owner/repo", 42).Verdict.Should().Be(AttributionVerdict.InvalidSignature);
    }

    [Fact]
    public void Verify_PaddedSignature_IsRejected()
    {
        var signed = Signed(Vector);

        AttributionSigner.Verify(signed with { Sig = signed.Sig + "=" }, Key, "owner/repo", 42).Verdict.Should().Be(AttributionVerdict.InvalidSignature);
    }

    [Fact]
    public void DecodeTrailerValue_PaddedBase64Url_IsRejectedAsGoDoes()
    {
        var value = AttributionMarkers.TrailerValue(Signed(Vector with { Number = 0 }));
        var padded = value + new string('=', (4 - (value.Length % 4)) % 4);
        padded.Should().NotBe(value, "the test needs a value whose length is not a multiple of 4");

        var metadata = AttributionMarkers.DecodeTrailerValue(padded, out var error);

        metadata.Should().BeNull();
        error.Should().Contain("padded");
    }

    [Fact]
    public void CheckMessage_PaddedTrailer_IsMalformed()
    {
        var value = AttributionMarkers.TrailerValue(Signed(Vector with { Number = 0 }));
        var padded = value + new string('=', (4 - (value.Length % 4)) % 4);

        AttributionMarkers.CheckMessage("x\n\nAgents-Attribution: " + padded, Key, "owner/repo")!.Verdict.Should().Be(AttributionVerdict.Malformed);
    }

    [Fact]
    public void DecodeTrailerValue_StandardBase64Alphabet_IsRejected()
    {
        // {"v":1} followed by "+/": standard base64, not base64url.
        var value = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"v\":1}>?")).TrimEnd('=');
        value.Should().ContainAny("+", "/");

        AttributionMarkers.DecodeTrailerValue(value, out var error).Should().BeNull();
        error.Should().Contain("not base64url");
    }

    [Fact]
    public void TryParse_UnknownFieldsAndOtherCaseNames_ReadAsGoDoes()
    {
        var metadata = AttributionJson.TryParse("{\"V\":1,\"Span_ID\":\"s-1\",\"extra\":{\"a\":[1]},\"repo\":\"a/b\",\"repo\":\"c/d\"}", out var error);

        error.Should().BeNull();
        metadata!.V.Should().Be(1);
        metadata.SpanId.Should().Be("s-1");
        metadata.Repo.Should().Be("c/d");
    }

    [Fact]
    public void Verify_NoSecretConfigured_CannotVerify()
    {
        var check = AttributionSigner.Verify(Signed(Vector), new SigningKey(null, "prod-a"), "owner/repo", 42);

        check.Verdict.Should().Be(AttributionVerdict.NoSecret);
        check.Reason.Should().Contain("ATTRIBUTION_SIGNING_SECRET");
    }

    [Fact]
    public void CommentMarker_AngleBracketsInValues_AreEscapedSoTheCommentCannotCloseEarly()
    {
        var metadata = AttributionSigner.Create(Key, "w --><script>&", "owner/repo", 42, "span-<1>", "", "coder");

        var marker = AttributionMarkers.CommentMarker(metadata);

        marker.Should().Contain("\"workspace\":\"w --\\u003e\\u003cscript\\u003e\\u0026\"").And.Contain("span-\\u003c1\\u003e");
        marker.IndexOf("-->", StringComparison.Ordinal).Should().Be(marker.Length - 3);
        var check = AttributionMarkers.CheckBody("before " + marker + " after -->", Key with { Workspace = "w --><script>&" }, "owner/repo", 42);
        check!.Verdict.Should().Be(AttributionVerdict.Valid);
        check.Metadata!.SpanId.Should().Be("span-<1>");
    }

    [Fact]
    public void CheckBody_NoMarker_IsNull()
    {
        AttributionMarkers.CheckBody("LGTM <!-- just a comment -->", Key, "owner/repo", 1).Should().BeNull();
    }

    [Fact]
    public void CheckBody_MarkerKeywordInOtherCase_IsNotAMarkerAsInTheAgentsProject()
    {
        var marker = AttributionMarkers.CommentMarker(Signed(Vector)).Replace("agents-run", "AGENTS-RUN", StringComparison.Ordinal);

        AttributionMarkers.CheckBody(marker, Key, "owner/repo", 42).Should().BeNull();
    }

    [Fact]
    public void CheckBody_MarkerSpreadOverLines_IsFound()
    {
        var json = AttributionJson.Serialize(Signed(Vector));

        AttributionMarkers.CheckBody("text\n<!--\n  agents-run:\n" + json + "\n-->\n", Key, "owner/repo", 42)!.Verdict.Should().Be(AttributionVerdict.Valid);
    }

    [Fact]
    public void CheckBody_MarkerWithBrokenJson_IsMalformed()
    {
        AttributionMarkers.CheckBody("<!-- agents-run: {\"v\":1,\"span_id\": } -->", Key, "owner/repo", 1)!.Verdict.Should().Be(AttributionVerdict.Malformed);
    }

    [Fact]
    public void CheckBody_VersionAsString_IsMalformed()
    {
        AttributionMarkers.CheckBody("<!-- agents-run: {\"v\":\"1\",\"span_id\":\"s\"} -->", Key, "owner/repo", 1)!.Verdict.Should().Be(AttributionVerdict.Malformed);
    }

    [Fact]
    public void CheckBody_ForgedThenValidMarker_PicksTheValidOne()
    {
        var valid = AttributionMarkers.CommentMarker(AttributionSigner.Create(Key, "default", "owner/repo", 42, "span-ok", "", "coder"));
        var forged = AttributionMarkers.CommentMarker(Signed(Vector, "guess") with { SpanId = "span-bad" });

        AttributionMarkers.CheckBody(forged + "\n" + valid, Key, "owner/repo", 42)!.Metadata!.SpanId.Should().Be("span-ok");
    }

    [Fact]
    public void TrailerValue_IndependentHmac_MatchesSigner()
    {
        var metadata = AttributionSigner.Create(Key, "default", "owner/repo", 0, "s-1", "", "coder");
        var canonical = "1\nprod-a\ndefault\nowner/repo\n0\ns-1\n\ncoder";
        var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes("secret"), Encoding.UTF8.GetBytes(canonical)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

        metadata.Sig.Should().Be(expected);
    }
}
