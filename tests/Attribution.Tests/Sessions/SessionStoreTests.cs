using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Sessions;

public sealed class SessionStoreTests
{
    private const string MergeConflict = "37a27d31-4a70-427b-8518-5fad6045d347";

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ListEvents_RealTranscript_CommitAndPushInTimeOrderOfTheirSessionOnly(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);
        await h.IngestForRepoAsync("entireio/cli", SessionHarness.Fixture("claude-code/entire-merge-conflict-commit-push.jsonl"));
        await h.IngestForRepoAsync("other/repo", SessionHarness.Fixture("claude-code/entire-edit-commit-push.jsonl"));

        var events = (await h.Store.ListEventsAsync(MergeConflict, CancellationToken.None))
            .Where(e => e.Ts >= DateTimeOffset.Parse("2026-02-08T03:13:00Z") && e.Ts <= DateTimeOffset.Parse("2026-02-08T03:14:00Z")).ToList();

        events.Select(e => (e.Kind, e.Sha)).Should().Equal(
            ("shell", null), ("commit", "aa50bdd9"), ("shell", null), ("push", "aa50bdd9"));
        events.Should().OnlyContain(e => e.SessionId == MergeConflict);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ListEvents_RealTranscript_EditsKeepTheirRepositoryPath(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);
        await h.IngestForRepoAsync("entireio/cli", SessionHarness.Fixture("claude-code/entire-merge-conflict-commit-push.jsonl"));

        var edits = (await h.Store.ListEventsAsync(MergeConflict, CancellationToken.None))
            .Where(e => e.Kind == "edit" && e.Path == "cmd/entire/cli/strategy/manual_commit_git.go").ToList();

        edits.Select(e => e.Ts).Should().Equal(DateTimeOffset.Parse("2026-02-08T03:11:03.422Z"), DateTimeOffset.Parse("2026-02-08T03:11:25.502Z"));
        edits.Should().OnlyContain(e => e.IsError == false);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task GetSession_Unknown_Null(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);

        (await h.Store.GetSessionAsync("nope", CancellationToken.None)).Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Ingest_NewSessions_RaisesChangeSignal(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);

        await h.IngestAsync(SessionHarness.Fixture("claude-code/minimal-write-commit.jsonl"));

        h.Signal.Version.Should().Be(1);
    }
}
