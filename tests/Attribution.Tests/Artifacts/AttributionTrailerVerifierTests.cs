using Attribution.Artifacts;

namespace Attribution.Tests.Artifacts;

public sealed class AttributionTrailerVerifierTests
{
    private static readonly SigningKey Key = new("secret", "default");

    private static string Trailer(string span, string repo = "owner/repo") =>
        AttributionMarkers.TrailerLine(AttributionSigner.Create(Key, "default", repo, 0, span, "", "coder"));

    [Fact]
    public void Verify_ValidTrailer_NamesTheSession()
    {
        var result = AttributionTrailerVerifier.Verify("feat: x\n\n" + Trailer("sess-1") + "\n", "Owner/Repo", Key);

        result.Result.Should().Be(TrailerResult.Verified);
        result.SessionId.Should().Be("sess-1");
        result.SessionIds.Should().Equal("sess-1");
    }

    [Fact]
    public void Verify_SquashOfTwoSessions_NamesBothAndTheFirstAsPrimary()
    {
        var message = "squash\n\n* a\n\n" + Trailer("sess-1") + "\n\n* b\n\n" + Trailer("sess-2") + "\n";

        var result = AttributionTrailerVerifier.Verify(message, "owner/repo", Key);

        // As the agents project: its resolver keeps the first exact match, its capture inserts only if absent.
        result.SessionId.Should().Be("sess-1");
        result.SessionIds.Should().Equal("sess-1", "sess-2");
    }

    [Fact]
    public void Verify_NoTrailer_SaysSo()
    {
        var result = AttributionTrailerVerifier.Verify("fix: y\n\nCo-Authored-By: Claude <noreply@anthropic.com>", "owner/repo", Key);

        result.Result.Should().Be(TrailerResult.NoTrailer);
        result.SessionId.Should().BeNull();
    }

    [Fact]
    public void Verify_TrailerOfAnotherRepo_IsRejectedWithReason()
    {
        var result = AttributionTrailerVerifier.Verify("x\n\n" + Trailer("sess-1", "owner/other"), "owner/repo", Key);

        result.Result.Should().Be(TrailerResult.Rejected);
        result.Verdict.Should().Be(AttributionVerdict.RepoMismatch);
        result.SessionId.Should().BeNull();
        result.Reason.Should().Contain("owner/other");
    }

    [Fact]
    public void Verify_ParsedTrailers_AreVerifiedToo()
    {
        var value = Trailer("sess-3")["Agents-Attribution: ".Length..];

        var result = AttributionTrailerVerifier.Verify([new KeyValuePair<string, string>("agents-attribution", value), new("Agents-Run", "sess-3")], "owner/repo", Key);

        result.SessionId.Should().Be("sess-3");
    }

    [Fact]
    public void Verify_NoSecret_IsRejected()
    {
        var result = AttributionTrailerVerifier.Verify("x\n\n" + Trailer("sess-1"), "owner/repo", new SigningKey(null, "default"));

        result.Result.Should().Be(TrailerResult.Rejected);
        result.Verdict.Should().Be(AttributionVerdict.NoSecret);
    }
}
