using System.Diagnostics;
using System.Text;
using Attribution.Artifacts;
using Attribution.Tests.Git;
using Attribution.Tests.Infrastructure;
using Attribution.Tests.Linking;

namespace Attribution.Tests.Artifacts;

/// <summary>
/// The agents project's own test cases (github.com/eloylp/agents, <c>internal/workflow/attribution_test.go</c>) as
/// data, and the three behaviours where we differed from its code (workspace, squash commits, an empty workspace).
/// Expected signatures are HMAC-SHA256 of the canonical text computed outside this code base.
/// </summary>
public sealed class AgentsInteropTests
{
    private static readonly SigningKey ProdA = new("secret", "prod-a");

    // TestRunAttributionSignedMetadataVerifies: RunAttribution{Workspace "default", Owner "Owner", Repo "Repo", #42, span-1,
    // agent-1, coder}.PublicMetadata("secret", "prod-a"), as Go's encoding/json writes it (the repo keeps its case; the
    // signature covers it lowercased).
    private const string SignedMetadataJson =
        """{"v":1,"instance_id":"prod-a","workspace":"default","repo":"Owner/Repo","number":42,"span_id":"span-1","agent_id":"agent-1","agent_name":"coder","sig":"8SgxHRvnKUl7guVCxqINLUwTB7X_aQhEkObR2oP8PyA"}""";

    // TestRunAttributionCommitTrailerRoundTrip: {Workspace "default", owner/repo, span-1, coder}.CommitAttributionTrailer("secret", "prod-a").
    private const string RoundTripTrailer =
        "Agents-Attribution: eyJ2IjoxLCJpbnN0YW5jZV9pZCI6InByb2QtYSIsIndvcmtzcGFjZSI6ImRlZmF1bHQiLCJyZXBvIjoib3duZXIvcmVwbyIsInNwYW5faWQiOiJzcGFuLTEiLCJhZ2VudF9uYW1lIjoiY29kZXIiLCJzaWciOiJ0T0VVOVVwU3F1RlFWMmxJNFp5elBodlpib1QyMTBHcm9LNkh5ci1rcXpVIn0";

    // Workspace "" is signed as "": canonical "1\nprod-a\n\nowner/repo\n0\nsess-9\n\n".
    private const string EmptyWorkspaceTrailer =
        "Agents-Attribution: eyJ2IjoxLCJpbnN0YW5jZV9pZCI6InByb2QtYSIsIndvcmtzcGFjZSI6IiIsInJlcG8iOiJvd25lci9yZXBvIiwic3Bhbl9pZCI6InNlc3MtOSIsInNpZyI6IldIS3B1ckU0YVdZTm9WcjZ4U25LanduaWVKdUd6MlNBMzRydDIzN0NDZkkifQ";

    [Fact]
    public void TheirSignedMetadata_VerifiesHere_AndFailsWithWrongSecretOrInstance()
    {
        var metadata = AttributionJson.TryParse(SignedMetadataJson, out var error)!;
        error.Should().BeNull();

        AttributionSigner.Verify(metadata, ProdA, "owner/repo", 42).Verdict.Should().Be(AttributionVerdict.Valid);
        AttributionSigner.Verify(metadata, ProdA with { Secret = "wrong-secret" }, "owner/repo", 42).Verdict.Should().Be(AttributionVerdict.InvalidSignature);
        AttributionSigner.Verify(metadata, ProdA with { InstanceId = "prod-b" }, "owner/repo", 42).Verdict.Should().Be(AttributionVerdict.InstanceMismatch);

        // Signing the same fields here gives their signature.
        AttributionSigner.Create(ProdA, "default", "Owner/Repo", 42, "span-1", "agent-1", "coder").Sig.Should().Be("8SgxHRvnKUl7guVCxqINLUwTB7X_aQhEkObR2oP8PyA");
    }

    [Fact]
    public void TheirCommitTrailer_RoundTripsByteForByte()
    {
        var ours = AttributionMarkers.TrailerLine(AttributionSigner.Create(ProdA, "default", "owner/repo", 0, "span-1", "", "coder"));

        ours.Should().Be(RoundTripTrailer);
        var verified = AttributionTrailerVerifier.Verify("feat: x\n\n" + RoundTripTrailer + "\n", "owner/repo", ProdA);
        verified.Result.Should().Be(TrailerResult.Verified);
        verified.SessionId.Should().Be("span-1");
    }

    [Fact]
    public void WorkspaceMismatch_IsRefusedWithAReason()
    {
        var team = AttributionSigner.Create(ProdA, "team", "owner/repo", 0, "span-1", "", "coder");

        var check = AttributionSigner.Verify(team, ProdA, "owner/repo", null);

        check.Verdict.Should().Be(AttributionVerdict.WorkspaceMismatch);
        check.Reason.Should().Be("metadata workspace 'team' does not match query workspace 'default'");
        AttributionSigner.Verify(team, ProdA with { Workspace = "team" }, "owner/repo", null).IsValid.Should().BeTrue();
        AttributionTrailerVerifier.Verify("x\n\n" + AttributionMarkers.TrailerLine(team), "owner/repo", ProdA).Result.Should().Be(TrailerResult.Rejected);
    }

    [Fact]
    public void SquashCommitWithTwoValidTrailers_ResolvesToTheFirst()
    {
        string Trailer(string span) => AttributionMarkers.TrailerLine(AttributionSigner.Create(ProdA, "default", "owner/repo", 0, span, "", "coder"));
        var message = "Squashed (#7)\n\n* part one\n\n" + Trailer("sess-first") + "\n\n* part two\n\n" + Trailer("sess-second") + "\n";

        AttributionMarkers.CheckMessage(message, ProdA, "owner/repo")!.Metadata!.SpanId.Should().Be("sess-first");
        AttributionTrailerVerifier.Verify(message, "owner/repo", ProdA).SessionId.Should().Be("sess-first");

        // An invalid trailer first does not hide a valid one after it.
        var forgedFirst = "x\n\nAgents-Attribution: bm90LWpzb24\n" + Trailer("sess-second") + "\n";
        AttributionTrailerVerifier.Verify(forgedFirst, "owner/repo", ProdA).SessionId.Should().Be("sess-second");
    }

    [Fact]
    public void EmptyWorkspace_IsSignedAsEmpty_AndBelongsToDefault()
    {
        var metadata = AttributionSigner.Create(ProdA, "", "owner/repo", 0, "sess-9", "", "");

        metadata.Workspace.Should().BeEmpty();
        AttributionMarkers.TrailerLine(metadata).Should().Be(EmptyWorkspaceTrailer);
        AttributionTrailerVerifier.Verify("x\n\n" + EmptyWorkspaceTrailer, "owner/repo", ProdA).Result.Should().Be(TrailerResult.Verified);

        // No workspace given at all: the deployment's.
        AttributionSigner.Create(ProdA, null, "owner/repo", 0, "sess-9", "", "").Workspace.Should().Be("default");
    }

    [Fact]
    public async Task SignCommand_EmptyWorkspace_PrintsTheirTrailer()
    {
        var dll = typeof(Attribution.Hosting.AttributionCli).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { dll, "sign", "--session", "sess-9", "--repo", "owner/repo", "--workspace", "" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ATTRIBUTION_SIGNING_SECRET"] = "secret";
        start.Environment["ATTRIBUTION_INSTANCE_ID"] = "prod-a";
        start.Environment.Remove("ATTRIBUTION_WORKSPACE");
        start.Environment["ATTRIBUTION_DB"] = Path.Combine(Path.GetTempPath(), "attribution-tests", Guid.NewGuid().ToString("N"), "unused.db");
        using var process = Process.Start(start)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        process.ExitCode.Should().Be(0, stderr);
        stdout.Split('\n')[0].TrimEnd('\r').Should().Be(EmptyWorkspaceTrailer);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task VerifiedTrailer_NamingASessionOfAnotherRepository_LinksAuthored(string provider)
    {
        // CONTRACT §6: a commit carrying a verified signed trailer is authored by the session it names (confidence 1.0);
        // §7 binds the metadata to the commit's repository and this instance. Nothing ties the session's own repository.
        const string slug = "acme/app";
        var options = Microsoft.Extensions.Options.Options.Create(new Attribution.Artifacts.SigningOptions { Secret = "s3cret", InstanceId = "prod-a" });
        await using var engine = await EngineHarness.CreateAsync(provider, TestRepository.T0.AddDays(60), new SignedTrailerVerifier(options));
        using var repo = TestRepository.Create();
        var key = new SigningKey("s3cret", "prod-a");
        var trailer = AttributionMarkers.TrailerLine(AttributionSigner.Create(key, null, slug, 0, "span-elsewhere", "", "coder"));
        var sha = repo.Commit($"feat: cross-repo work\n\n{trailer}\n", TestRepository.T0.AddHours(5), "c.py", "c\n");
        var unsigned = repo.Commit("feat: unrelated\n", TestRepository.T0.AddHours(6), "d.py", "d\n");
        await engine.IngestAsync(slug, repo);
        await engine.SessionAsync("span-elsewhere", "acme/other", TestRepository.T0, TestRepository.T0.AddHours(8));
        await engine.SessionAsync("span-nowhere", null, TestRepository.T0, TestRepository.T0.AddHours(8));

        await engine.BackfillAsync();
        await engine.BackfillAsync();

        var link = await engine.LinkAsync(slug, sha, "span-elsewhere");
        link!.LinkType.Should().Be("authored");
        link.Confidence.Should().Be(1.0);
        link.EvidenceJson.Should().Contain("signed-trailer");
        (await engine.LinkAsync(slug, unsigned, "span-elsewhere")).Should().BeNull("only the signed trailer ties a session of another repository");
        (await engine.ScalarAsync<long>("SELECT count(*) FROM commit_session_link WHERE session_id = 'span-elsewhere'")).Should().Be(1, "a second pass adds nothing");
    }
}
