using Attribution.Linking;
using Attribution.Tests.Git;
using Attribution.Tests.Infrastructure;
using Attribution.Artifacts;

namespace Attribution.Tests.Linking;

public sealed class AttributionEdgeCaseTests
{
    private const string Slug = "acme/app";
    private static readonly DateTimeOffset T0 = TestRepository.T0;
    private static readonly DateTimeOffset Now = T0.AddDays(60);

    /// <summary>Stands in for the Artifacts feature's verifier: accepts one known trailer value.</summary>
    private sealed class FixedVerifier(string value, string sessionId) : IAgentsAttributionVerifier
    {
        public SignedTrailerVerdict? Verify(string repoSlug, string trailerValue) => trailerValue == value && repoSlug == Slug ? new SignedTrailerVerdict(sessionId, "test") : null;
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Backfill_CommitWithSessionTrailer_AuthoredLink(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        var sha = repo.Commit("feat: x\n\nClaude-Session: https://claude.ai/code/session_01XYZ\n", T0.AddHours(5), "x.py", "x\n");
        await engine.IngestAsync(Slug, repo);
        await engine.SessionAsync("01XYZ", Slug, T0, T0.AddHours(1));

        await engine.BackfillAsync();

        var link = await engine.LinkAsync(Slug, sha, "01XYZ");
        link!.LinkType.Should().Be("authored");
        link.Confidence.Should().Be(1.0);
        link.EvidenceJson.Should().Contain("session-trailer");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Backfill_VerifiedSignedTrailer_AuthoredThroughHook(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now, new FixedVerifier("eyJ2IjoxfQ", "span-9"));
        using var repo = TestRepository.Create();
        var sha = repo.Commit("feat: y\n\nAgents-Attribution: eyJ2IjoxfQ\n", T0.AddHours(5), "y.py", "y\n");
        var forged = repo.Commit("feat: z\n\nAgents-Attribution: forged\n", T0.AddHours(6), "z.py", "z\n");
        await engine.IngestAsync(Slug, repo);
        await engine.SessionAsync("span-9", Slug, T0, T0.AddHours(1));

        await engine.BackfillAsync();

        (await engine.LinkAsync(Slug, sha, "span-9"))!.Confidence.Should().Be(1.0);
        (await engine.LinkAsync(Slug, forged, "span-9")).Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Backfill_TrailerSignedPerContract_AuthoredWithVerificationInEvidence(string provider)
    {
        var options = Microsoft.Extensions.Options.Options.Create(new Attribution.Artifacts.SigningOptions { Secret = "s3cret", InstanceId = "prod-a" });
        await using var engine = await EngineHarness.CreateAsync(provider, Now, new Attribution.Artifacts.SignedTrailerVerifier(options));
        using var repo = TestRepository.Create();
        var key = new Attribution.Artifacts.SigningKey("s3cret", "prod-a");
        var good = Attribution.Artifacts.AttributionMarkers.TrailerLine(Attribution.Artifacts.AttributionSigner.Create(key, "default", Slug, 0, "span-signed", "agent-1", "coder"));
        var otherRepo = Attribution.Artifacts.AttributionMarkers.TrailerLine(Attribution.Artifacts.AttributionSigner.Create(key, "default", "someone/else", 0, "span-signed", "agent-1", "coder"));
        var wrongKey = Attribution.Artifacts.AttributionMarkers.TrailerLine(Attribution.Artifacts.AttributionSigner.Create(new Attribution.Artifacts.SigningKey("guess", "prod-a"), "default", Slug, 0, "span-signed", "agent-1", "coder"));
        var signed = repo.Commit($"feat: signed\n\n{good}\n", T0.AddHours(5), "s.py", "s\n");
        var foreign = repo.Commit($"feat: copied\n\n{otherRepo}\n", T0.AddHours(6), "t.py", "t\n");
        var forged = repo.Commit($"feat: forged\n\n{wrongKey}\n", T0.AddHours(7), "u.py", "u\n");
        await engine.IngestAsync(Slug, repo);
        await engine.SessionAsync("span-signed", Slug, T0.AddDays(-10), T0.AddDays(-9));

        await engine.BackfillAsync();

        var link = await engine.LinkAsync(Slug, signed, "span-signed");
        link!.LinkType.Should().Be("authored");
        link.Confidence.Should().Be(1.0);
        link.EvidenceJson.Should().Contain("signed-trailer").And.Contain("prod-a");
        (await engine.LinkAsync(Slug, foreign, "span-signed")).Should().BeNull();
        (await engine.LinkAsync(Slug, forged, "span-signed")).Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Backfill_SessionLinkedToPrCommit_LinkedToPrWithCommitConfidence(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "README.md", "hello\n");
        var baseBranch = repo.CurrentBranch;
        repo.Branch("feat/z");
        var head = repo.Commit("work", T0.AddHours(2), "z.py", "z\n");
        await engine.IngestAsync(Slug, repo);
        await engine.SessionAsync("s1", Slug, T0.AddHours(1), T0.AddHours(3));
        await engine.EventAsync("s1", "commit", T0.AddHours(2), sha: head[..8], output: $"[feat/z {head[..8]}] work");
        await engine.PullRequestAsync(Slug, 21, "open", "feat/z", head, baseBranch);

        await engine.BackfillAsync();

        (await engine.PrLinksAsync(Slug, 21)).Should().ContainSingle().Which.Should().Be(("s1", "commit", 1.0));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Backfill_PrBaseUnknownToClone_NoPrCommitsFromGit(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "README.md", "hello\n");
        var head = repo.Commit("two", T0.AddHours(1), "a.py", "a\n");
        await engine.IngestAsync(Slug, repo);
        await engine.PullRequestAsync(Slug, 30, "open", "feat/q", head, "no-such-branch");

        await engine.BackfillAsync();

        (await engine.ScalarAsync<long>("SELECT count(*) FROM pr_commits")).Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Backfill_SessionWithoutRepoNamingOneCommit_AuthoredLinkInThatRepo(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        var sha = repo.Commit("init", T0, "README.md", "hello\n");
        await engine.IngestAsync(Slug, repo);
        await engine.SessionAsync("lost", null, T0.AddMinutes(-10), T0.AddMinutes(10));
        await engine.EventAsync("lost", "commit", T0, sha: sha[..7]);

        await engine.BackfillAsync();

        (await engine.LinkAsync(Slug, sha, "lost"))!.LinkType.Should().Be("authored");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Backfill_FailedCommitCommand_NoAuthoredLink(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        var sha = repo.Commit("init", T0, "README.md", "hello\n");
        await engine.IngestAsync(Slug, repo);
        await engine.SessionAsync("s1", Slug, T0.AddMinutes(-10), T0.AddMinutes(10));
        await engine.EventAsync("s1", "commit", T0, sha: sha[..7], isError: 1);

        await engine.BackfillAsync();

        (await engine.LinkAsync(Slug, sha, "s1")).Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Backfill_CoAuthoredWithTwoActiveSessions_OnlyTheEditingOneLinked(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "core.py", "a\n");
        await engine.SessionAsync("editor", Slug, T0.AddHours(1), T0.AddHours(2));
        await engine.SessionAsync("bystander", Slug, T0.AddHours(1), T0.AddHours(2));
        await engine.EventAsync("editor", "edit", T0.AddHours(1).AddMinutes(5), path: "core.py");
        await engine.EventAsync("bystander", "command", T0.AddHours(1).AddMinutes(5), command: "ls");
        var sha = repo.Commit("core\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n", T0.AddHours(1).AddMinutes(30), "core.py", "b\n");
        await engine.IngestAsync(Slug, repo);

        await engine.BackfillAsync();

        // Linked above the threshold and above anything activity alone can give (the exact figure is the calibration's).
        (await engine.LinkAsync(Slug, sha, "editor"))!.Confidence.Should().BeGreaterThan(Math.Max(0.5, CoAuthorScorer.ActivityOnlyCeiling));
        (await engine.LinkAsync(Slug, sha, "bystander")).Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Backfill_CommitRevertedLater_CommitTouchClassifiedRevert(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "a.py", "a\n");
        var target = repo.Commit("change a\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n", T0.AddHours(1), "a.py", "b\n");
        repo.Commit("Fix typo", T0.AddDays(2), "a.py", "c\n");
        repo.Commit($"Revert \"change a\"\n\nThis reverts commit {target}.\n", T0.AddDays(3), "a.py", "a\n");
        await engine.IngestAsync(Slug, repo);

        await engine.BackfillAsync();

        (await engine.TouchesAsync(Slug, "commit", target)).Select(t => t.Classification).Should().Equal("fix", "revert");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Backfill_SessionEditLaterWithdrawn_StaleLinkRemoved(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "foo.py", "x = 1\n");
        await engine.SessionAsync("s1", Slug, T0.AddHours(1), T0.AddHours(2));
        await engine.EventAsync("s1", "edit", T0.AddHours(1).AddMinutes(10), path: "foo.py");
        var sha = repo.Commit("update foo", T0.AddHours(1).AddMinutes(15), "foo.py", "x = 2\n");
        await engine.IngestAsync(Slug, repo);
        await engine.BackfillAsync();
        await engine.ScalarAsync<long>("SELECT count(*) FROM session_events");
        await using (var c = await engine.Database.Connections.OpenAsync(CancellationToken.None))
        {
            await Dapper.SqlMapper.ExecuteAsync(c, "DELETE FROM session_events");
        }

        await engine.BackfillAsync();

        (await engine.LinkAsync(Slug, sha, "s1")).Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Backfill_EditJustOverTouchWindowWithoutText_NoLink(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "foo.py", "x = 1\n");
        await engine.SessionAsync("s1", Slug, T0.AddHours(1), T0.AddHours(2));
        await engine.EventAsync("s1", "edit", T0.AddHours(1), path: "foo.py");
        var sha = repo.Commit("later", T0.AddHours(1 + 72).AddMinutes(5), "foo.py", "x = 2\n");
        await engine.IngestAsync(Slug, repo);

        await engine.BackfillAsync();

        (await engine.LinkAsync(Slug, sha, "s1")).Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Backfill_EditWithContextLinesDaysBeforeFirstTouch_LinkedBeyondWindow(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "lib/calc.py", "def total(items):\n    return 0\n");
        await engine.SessionAsync("s1", Slug, T0.AddHours(1), T0.AddHours(2));
        const string edit = "def total(items):\n    subtotal = sum(item.price for item in items)\n    return apply_discount(subtotal)\n";
        await engine.EventAsync("s1", "edit", T0.AddHours(1), path: "lib/calc.py", text: edit);
        var sha = repo.Commit("calc totals", T0.AddDays(5), "lib/calc.py", edit);
        await engine.IngestAsync(Slug, repo);

        await engine.BackfillAsync();

        (await engine.LinkAsync(Slug, sha, "s1"))!.Confidence.Should().BeGreaterThanOrEqualTo(0.5);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Backfill_NothingChanged_RepositorySkippedUntilNewEvent(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "foo.py", "x = 1\n");
        var sha = repo.Commit("update foo", T0.AddHours(2), "foo.py", "x = 2\n");
        await engine.IngestAsync(Slug, repo);
        await engine.SessionAsync("s1", Slug, T0.AddHours(1), T0.AddHours(3));
        await engine.BackfillAsync();

        var unchanged = await engine.BackfillAsync();
        await engine.EventAsync("s1", "edit", T0.AddHours(2).AddMinutes(-5), path: "foo.py");
        var changed = await engine.BackfillAsync();

        unchanged.Unchanged.Should().Be(1);
        changed.Unchanged.Should().Be(0);
        (await engine.LinkAsync(Slug, sha, "s1"))!.Confidence.Should().BeGreaterThanOrEqualTo(0.7);
    }
}
