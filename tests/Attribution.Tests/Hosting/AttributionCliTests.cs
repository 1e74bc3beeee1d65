using System.Text.Json;
using Attribution.Hosting;
using Attribution.Store;
using Attribution.Tests.Infrastructure;
using Attribution.Common;

namespace Attribution.Tests.Hosting;

/// <summary>The CLI swaps Console.Out/Error, so these tests run alone (no other test class in parallel).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "console";
}

[Collection(ConsoleCollection.Name)]
public sealed class AttributionCliTests
{
    private static readonly SemaphoreSlim ConsoleLock = new(1, 1);

    internal static async Task<(int Exit, string Out, string Error)> RunAsync(TestDatabase database, params string[] args)
    {
        var hostArgs = new[]
        {
            $"--Attribution:Database:Provider={database.Options.Provider}",
            $"--Attribution:Database:Connection={database.Options.Connection}",
        };
        await ConsoleLock.WaitAsync();
        var (originalOut, originalError) = (Console.Out, Console.Error);
        using var output = new StringWriter();
        using var error = new StringWriter();
        try
        {
            Console.SetOut(output);
            Console.SetError(error);
            var exit = await AttributionCli.RunAsync([.. args, .. hostArgs]);
            return (exit, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(originalOut);
            Console.SetError(originalError);
            ConsoleLock.Release();
        }
    }

    private static async Task<(TestDatabase Database, SeededGraph Graph)> ArrangeAsync(string provider)
    {
        var database = await TestDatabase.CreateAsync(provider);
        return (database, await SeededGraph.SeedAsync(new GraphSeeder(database.Connections)));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AttributeCommit_Known_PrintsSummaryThenPrCiAndDownstreamLines(string provider)
    {
        var (database, graph) = await ArrangeAsync(provider);
        await using var _ = database;

        var (exit, output, error) = await RunAsync(database, "attribute", "commit", graph.Sha[..8]);

        exit.Should().Be(ExitCodes.Success, error);
        var lines = output.TrimEnd().Split(Environment.NewLine);
        lines[0].Should().Be($"this commit came from session {graph.AuthoredSession} (authored, agent: claude-code, model: claude-opus-4-6, $0.42)");
        lines.Should().Contain(l => l.StartsWith($"PR: github {graph.Repo}#42 (merged ", StringComparison.Ordinal) && l.EndsWith("Uploader retries", StringComparison.Ordinal));
        lines.Should().Contain("CI: success build (github-actions)");
        var downstream = $"downstream: touched 3 times (1 fix, 1 revert), reverted by {graph.RevertSha[..7]}";
        lines.Should().Contain(l => l.StartsWith(downstream, StringComparison.Ordinal)
            && l.EndsWith("still good after 14 days: too young to judge", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AttributeCommit_Json_PrintsTheApiDocument(string provider)
    {
        var (database, graph) = await ArrangeAsync(provider);
        await using var _ = database;

        var (exit, output, error) = await RunAsync(database, "attribute", "commit", graph.Sha, "--json", "--min-confidence", "0", "--repo", graph.Repo);

        exit.Should().Be(ExitCodes.Success, error);
        var document = JsonDocument.Parse(output).RootElement;
        document.GetProperty("sha").GetString().Should().Be(graph.Sha);
        document.GetProperty("sessions").GetArrayLength().Should().Be(2);
        document.GetProperty("downstream").GetProperty("revertedBy").GetString().Should().Be(graph.RevertSha);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AttributeCommit_Unknown_ExitsOne(string provider)
    {
        var (database, _) = await ArrangeAsync(provider);
        await using var _ = database;
        var sha = GraphSeeder.NewSha();

        var (exit, output, error) = await RunAsync(database, "attribute", "commit", sha);

        exit.Should().Be(ExitCodes.NotFound);
        output.Should().BeEmpty();
        error.Should().Contain($"error: unknown commit {sha}");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AttributeCommit_MalformedSha_ExitsTwo(string provider)
    {
        var (database, _) = await ArrangeAsync(provider);
        await using var _ = database;

        var (exit, output, error) = await RunAsync(database, "attribute", "commit", "xyz");

        exit.Should().Be(ExitCodes.Usage);
        output.Should().BeEmpty();
        error.Should().Contain("7 to 40 hexadecimal");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AttributeCommit_AmbiguousAbbreviation_ExitsTwoAndListsCandidates(string provider)
    {
        var (database, graph) = await ArrangeAsync(provider);
        await using var _ = database;
        var seed = new GraphSeeder(database.Connections);
        var prefix = GraphSeeder.NewSha()[..8];
        var first = GraphSeeder.NewSha(prefix);
        var second = GraphSeeder.NewSha(prefix);
        await seed.CommitAsync(graph.Repo, first, "One", DateTimeOffset.UtcNow);
        await seed.CommitAsync(graph.Repo, second, "Two", DateTimeOffset.UtcNow);

        var (exit, output, error) = await RunAsync(database, "attribute", "commit", prefix);

        exit.Should().Be(ExitCodes.Usage);
        output.Should().BeEmpty();
        error.Should().Contain("is ambiguous").And.Contain($"{graph.Repo} {first} One").And.Contain($"{graph.Repo} {second} Two");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AttributeSession_Known_PrintsSummary(string provider)
    {
        var (database, graph) = await ArrangeAsync(provider);
        await using var _ = database;

        var (exit, output, error) = await RunAsync(database, "attribute", "session", graph.AuthoredSession);

        exit.Should().Be(ExitCodes.Success, error);
        output.Split(Environment.NewLine)[0].Should().Be(
            $"this session produced commit {graph.Sha[..7]}; merged in PR #42 (Uploader retries); CI passed; touched 3 times since (1 revert); too young to judge (14 days)");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AttributeSession_Json_PrintsTheApiDocument(string provider)
    {
        var (database, graph) = await ArrangeAsync(provider);
        await using var _ = database;

        var (exit, output, error) = await RunAsync(database, "attribute", "session", graph.AuthoredSession, "--json");

        exit.Should().Be(ExitCodes.Success, error);
        JsonDocument.Parse(output).RootElement.GetProperty("tokens").GetProperty("cacheRead").GetInt64().Should().Be(9000);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AttributeSession_UniquePrefixOfEight_ResolvesTheSession(string provider)
    {
        var (database, graph) = await ArrangeAsync(provider);
        await using var _ = database;

        var (exit, output, error) = await RunAsync(database, "attribute", "session", graph.AuthoredSession[..8]);

        exit.Should().Be(ExitCodes.Success, error);
        output.Should().Contain($"session: {graph.AuthoredSession} ");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AttributeSession_AmbiguousPrefix_ExitsTwoAndListsCandidates(string provider)
    {
        var (database, _) = await ArrangeAsync(provider);
        await using var _ = database;
        var seed = new GraphSeeder(database.Connections);
        var at = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
        await seed.SessionAsync("e8811ad6-aaaa", "claude-code", null, "acme/app", null, at, at.AddHours(1));
        await seed.SessionAsync("e8811ad6-bbbb", "codex", null, null, null, at, at.AddHours(1));

        var (exit, _, error) = await RunAsync(database, "attribute", "session", "e8811ad6");

        exit.Should().Be(ExitCodes.Usage);
        error.Should().Contain("session id prefix e8811ad6 matches 2 sessions").And.Contain("e8811ad6-aaaa (claude-code, acme/app")
            .And.Contain("e8811ad6-bbbb (codex");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AttributeSession_Unknown_ExitsOne(string provider)
    {
        var (database, _) = await ArrangeAsync(provider);
        await using var _ = database;

        var (exit, _, error) = await RunAsync(database, "attribute", "session", "no-such-session");

        exit.Should().Be(ExitCodes.NotFound);
        error.Should().Contain("error: unknown session no-such-session");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AttributeCommit_MinConfidenceZero_SummaryAlsoNamesTheWeakLink(string provider)
    {
        var (database, graph) = await ArrangeAsync(provider);
        await using var _ = database;

        var (exit, output, error) = await RunAsync(database, "attribute", "commit", graph.Sha, "--min-confidence", "0");

        exit.Should().Be(ExitCodes.Success, error);
        output.Split(Environment.NewLine)[0].Should().EndWith($"; also linked: session {graph.WeakSession} (inferred-by-touch, confidence 0.3)");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AttributeCommit_MalformedRepo_ExitsTwo(string provider)
    {
        var (database, graph) = await ArrangeAsync(provider);
        await using var _ = database;

        var (exit, output, error) = await RunAsync(database, "attribute", "commit", graph.Sha, "--repo", "../x");

        exit.Should().Be(ExitCodes.Usage);
        output.Should().BeEmpty();
        error.Should().Contain("repo must be owner/name");
    }

    [Fact]
    public async Task AttributeCommit_SubjectWithEscapeSequences_PrintedWithoutThem()
    {
        await using var database = await TestDatabase.CreateAsync(TestProviders.Sqlite);
        const string sha = "abcdef0123456789abcdef0123456789abcdef01";
        await new CommitStore(database.Connections, TimeProvider.System).UpsertAsync(
            [new CommitRecord { RepoSlug = "acme/app", Sha = sha, Source = "git", Message = "feat: \u001b]52;c;ZXZpbA==\u0007owned\u001b[1A\u001b[2K\n" }],
            CancellationToken.None);

        var (exit, output, error) = await RunAsync(database, "attribute", "commit", sha);

        exit.Should().Be(ExitCodes.Success, error);
        output.Should().Contain("owned").And.Contain("\\x1B]52;c;");
        output.Should().NotContain("\u001b").And.NotContain("\u0007");
    }

    [Fact]
    public async Task IngestAndBackfill_PrintTheirSummaryOnce()
    {
        await using var database = await TestDatabase.CreateAsync(TestProviders.Sqlite);
        using var repo = Attribution.Tests.Git.TestRepository.Create();
        repo.Commit("init", DateTimeOffset.UtcNow.AddHours(-1), "a.txt", "1\n");

        var (ingestExit, ingestOut, ingestError) = await RunAsync(database, "ingest", "git", "--path", repo.Path, "--repo", "acme/app");
        var (passExit, passOut, passError) = await RunAsync(database, "attribute", "backfill");

        (ingestExit, passExit).Should().Be((ExitCodes.Success, ExitCodes.Success));
        ingestOut.Should().Contain("commits read: 1");
        passOut.Should().Contain("commit links: 0");
        // The services' own information events say the same; on the command line they are not printed a second time.
        (ingestError + passError).Should().NotContain("Git scan of").And.NotContain("Attribution pass:");
    }
}
