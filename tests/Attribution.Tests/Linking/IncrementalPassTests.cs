using Attribution.Linking;
using Attribution.Store;
using Attribution.Tests.Git;
using Attribution.Tests.Infrastructure;
using Attribution.Tests.Sources;
using Dapper;
using FluentAssertions;
using LibGit2Sharp;

namespace Attribution.Tests.Linking;

/// <summary>
/// An incremental pass (new commits and sessions since the last pass) must leave exactly the rows a full pass over the
/// same inputs leaves: links with their evidence, PR links, downstream touches, line outcomes and PR counters. Each test
/// grows a real repository and real sessions over several passes, then forgets what the passes remembered, runs a full
/// pass and compares every row.
/// </summary>
public sealed class IncrementalPassTests
{
    private const string Slug = "acme/app";
    private static readonly DateTimeOffset T0 = TestRepository.T0;
    private static readonly string[] Files = ["src/core.py", "src/api.py", "src/util.py", "src/db.py", "docs/guide.md", "src/cli.py"];

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public Task NewCommitsAndSessions_IncrementalPassesLeaveTheRowsOfAFullPass(string provider) => GrowInRoundsAsync(provider, readLines: true);

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public Task NewCommitsAndSessions_WithoutLineFigures_IncrementalPassesLeaveTheRowsOfAFullPass(string provider) => GrowInRoundsAsync(provider, readLines: false);

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public Task NewCommitsAndSessions_WithAGitAiNote_IncrementalPassesLeaveTheRowsOfAFullPass(string provider) => GrowInRoundsAsync(provider, readLines: true, note: true);

    private static async Task GrowInRoundsAsync(string provider, bool readLines, bool note = false)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, T0.AddDays(40));
        engine.Options.LineBudgetSeconds = readLines ? 60 : 0;
        using var repo = TestRepository.Create();
        var history = new History(engine, repo, new Random(7));
        await history.GrowAsync(T0, 40, 45, 10);
        if (note)
        {
            // What git-ai recorded for an early commit, naming the session that wrote it: a recorded link over the rubric's
            // own (kept in its evidence), which the increments must leave as the full pass writes it.
            var index = history.SessionOf.Keys.Where(i => i > 0).Min();
            var noted = history.Shas[index];
            Tree Tree(string sha) => repo.Repo.Lookup<Commit>(sha).Tree;
            var path = repo.Repo.Diff.Compare<TreeChanges>(Tree(history.Shas[index - 1]), Tree(noted)).First().Path;
            GitShell.RunIn(repo.Path, null, "-c", "user.name=Dev", "-c", "user.email=dev@example.com", "notes", "--ref=ai", "add", "-m", $$"""
                {{path}}
                  s_c9883b05a2487d::t_9f8e7d6c5b4a32 1-2
                ---
                {"schema_version": "authorship/3.0.0", "git_ai_version": "1.3.2", "base_commit_sha": "{{history.Shas[index - 1]}}",
                 "sessions": {"s_c9883b05a2487d": {"agent_id": {"tool": "claude", "id": "{{history.SessionOf[index]}}", "model": "claude-opus-4-6"} } } }
                """, noted);
        }

        await engine.IngestAsync(Slug, repo);
        await engine.PullRequestAsync(Slug, 1, "merged", "feat/x", history.Shas[20], "main", history.Times[21], history.Shas[21]);
        (await engine.BackfillAsync()).Incremental.Should().Be(0, "the first pass has nothing to start from");

        for (var round = 0; round < 3; round++)
        {
            // Hours apart on one day: the pass's period (a year back from today) names its first day, and a new day runs whole.
            engine.Time.Advance(TimeSpan.FromHours(3));
            await history.GrowAsync(engine.Time.GetUtcNow() - TimeSpan.FromHours(2.5), days: 0.1, commits: 2 + round, sessions: 1);
            var pass = await engine.BackfillAsync();
            pass.Incremental.Should().Be(1, $"round {round} added commits and sessions only");
            pass.LineTargetsDeferred.Should().Be(0);
        }

        await AssertSameAsFullPassAsync(engine);
        if (note)
        {
            (await PassRows.TextAsync(engine.Database.Connections, CancellationToken.None)).Should().Contain("|recorded|", "the noted commit keeps its recorded link");
        }
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task LateBranchWithOldAuthorTimes_IncrementalPassReachesBackToThem(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, T0.AddDays(30));
        using var repo = TestRepository.Create();
        var history = await StartAsync(engine, repo, seed: 11, days: 30, commits: 30, sessions: 8);

        // A branch written ten days ago by a session ingested at the time, fetched only now: its commits are new
        // to the store, their author times are old, and an older session's edits link them.
        var main = repo.CurrentBranch;
        repo.Repo.Branches.Add("late", history.Shas[18]);
        repo.Checkout("late");
        var written = T0.AddDays(19).AddHours(2);
        await engine.SessionAsync("s-late", Slug, written.AddMinutes(-30), written.AddHours(1));
        await engine.EventAsync("s-late", "edit", written.AddMinutes(-10), path: Files[0], text: "late_work = compute(1)");
        var late = repo.Commit("late work", written, engine.Time.GetUtcNow(), new Dictionary<string, string?> { [Files[0]] = "late_work = compute(1)\n" });
        repo.Checkout(main);
        engine.Time.Advance(TimeSpan.FromHours(1));

        var pass = await engine.BackfillAsync();

        pass.Incremental.Should().Be(1);
        (await engine.LinkAsync(Slug, late, "s-late")).Should().NotBeNull("the late commit is linked though written ten days before the pass");
        await AssertSameAsFullPassAsync(engine);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task LateTranscriptOfOldWork_IncrementalPassLinksItAndRescoresTheCommitsItReaches(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, T0.AddDays(30));
        using var repo = TestRepository.Create();
        var history = await StartAsync(engine, repo, seed: 5, days: 30, commits: 30, sessions: 8);

        // A transcript ingested today for work done twelve days ago: it printed one commit's sha and edited the files of
        // two others with their text. No commit is new; only the commits this session reaches are rescored.
        engine.Time.Advance(TimeSpan.FromHours(2));
        var (printed, edited) = (history.Shas[17], new[] { history.Shas[16], history.Shas[18] });
        var at = history.Times[17];
        await engine.SessionAsync("s-late-transcript", Slug, at.AddHours(-6), at.AddHours(2));
        foreach (var sha in edited.Append(printed))
        {
            var diff = repo.Repo.Diff.Compare<Patch>(repo.Repo.Lookup<Commit>(sha).Parents.First().Tree, repo.Repo.Lookup<Commit>(sha).Tree);
            foreach (var file in diff)
            {
                var added = file.AddedLines.Count == 0 ? null : file.AddedLines[^1].Content.TrimEnd('\n');
                await engine.EventAsync("s-late-transcript", "edit", history.Times[history.Shas.IndexOf(sha)].AddMinutes(-4), path: file.Path, text: added);
            }
        }

        await engine.EventAsync("s-late-transcript", "commit", at.AddSeconds(3), sha: printed[..7], command: "git commit -m 'late'", output: $"[main {printed[..7]}] late");
        var pass = await engine.BackfillAsync();

        pass.Incremental.Should().Be(1);
        (await engine.LinkAsync(Slug, printed, "s-late-transcript"))!.LinkType.Should().Be("authored");
        await AssertSameAsFullPassAsync(engine);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task NothingNew_PassSkipsTheRepository_AndPrChangeRunsAFullPass(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, T0.AddDays(20));
        using var repo = TestRepository.Create();
        var history = await StartAsync(engine, repo, seed: 3, days: 20, commits: 20, sessions: 5);

        var again = await engine.BackfillAsync();
        again.Unchanged.Should().Be(1);

        await engine.PullRequestAsync(Slug, 7, "merged", "feat/y", history.Shas[10], "main", history.Times[11], history.Shas[11]);
        var afterPr = await engine.BackfillAsync();
        afterPr.Incremental.Should().Be(0, "a PR changes what every pass reads: the pass runs whole");
        await AssertSameAsFullPassAsync(engine);
    }

    private static async Task AssertSameAsFullPassAsync(EngineHarness engine)
    {
        var incremental = await RowsAsync(engine);
        await using (var c = await engine.Database.Connections.OpenAsync(CancellationToken.None))
        {
            await c.ExecuteAsync("DELETE FROM ingest_cursors WHERE source LIKE 'attribution%'");
        }

        var full = await engine.BackfillAsync();
        full.Incremental.Should().Be(0);
        var expected = await RowsAsync(engine);
        incremental.Should().Be(expected);
        expected.Should().Contain("inferred-by-touch").And.Contain("commit|", "the scenario has links and touches to compare");
    }

    private static Task<string> RowsAsync(EngineHarness engine) => PassRows.TextAsync(engine.Database.Connections, CancellationToken.None);

    /// <summary>A repository grown over <paramref name="days"/> with its sessions, ingested, and a first (full) pass over it.</summary>
    private static async Task<History> StartAsync(EngineHarness engine, TestRepository repo, int seed, int days, int commits, int sessions)
    {
        var history = new History(engine, repo, new Random(seed));
        await history.GrowAsync(T0, days, commits, sessions);
        await engine.IngestAsync(Slug, repo);
        (await engine.BackfillAsync()).Incremental.Should().Be(0, "the first pass has nothing to start from");
        return history;
    }

    /// <summary>
    /// A repository and sessions grown together: each commit adds a line to one or two files (a few files are hot), most
    /// have a session that edited those lines shortly before (some print the commit), others edit nearby without committing.
    /// </summary>
    private sealed class History(EngineHarness engine, TestRepository repo, Random rng)
    {
        private readonly Dictionary<string, List<string>> _contents = new(StringComparer.Ordinal);
        private int _sessions;

        public List<string> Shas { get; } = [];

        public List<DateTimeOffset> Times { get; } = [];

        /// <summary>The session that wrote each commit (by index), for those that have one.</summary>
        public Dictionary<int, string> SessionOf { get; } = [];

        public async Task GrowAsync(DateTimeOffset from, double days, int commits, int sessions)
        {
            var first = _sessions;
            _sessions += sessions;
            for (var i = 0; i < commits; i++)
            {
                var ts = from.AddDays(days * (i + 1) / (commits + 1));
                var changed = new Dictionary<string, string?>();
                var added = new List<(string Path, string Line)>();
                foreach (var path in Enumerable.Range(0, 1 + rng.Next(2)).Select(_ => Files[(int)(Math.Pow(rng.NextDouble(), 2) * Files.Length)]).Distinct())
                {
                    var lines = _contents.TryGetValue(path, out var l) ? l : _contents[path] = [$"# {path}"];
                    if (lines.Count > 3 && rng.NextDouble() < 0.4)
                    {
                        lines[1 + rng.Next(lines.Count - 1)] = $"fixed_{Shas.Count}_{rng.Next(1000)} = True";
                    }

                    var line = $"value_{Shas.Count}_{path.Length} = compute({rng.Next(100000)})";
                    lines.Add(line);
                    changed[path] = string.Join('\n', lines) + "\n";
                    added.Add((path, line));
                }

                var subject = rng.NextDouble() < 0.15 ? $"fix: correct value {Shas.Count}" : $"change {Shas.Count}";
                var sha = repo.Commit(subject, ts, changed);
                Shas.Add(sha);
                Times.Add(ts);
                if (rng.NextDouble() < 0.75)
                {
                    // Sessions work in turn, as real ones do (hours to days, not the whole history).
                    var session = $"s{first + Math.Min(sessions - 1, (i * sessions / commits) + rng.Next(2))}";
                    SessionOf[Shas.Count - 1] = session;
                    await EnsureSessionAsync(session, ts);
                    foreach (var (path, line) in added)
                    {
                        await engine.EventAsync(session, "edit", ts.AddMinutes(-5 - rng.Next(90)), path: path, text: rng.NextDouble() < 0.85 ? line : "unrelated = 1");
                    }

                    if (rng.NextDouble() < 0.2)
                    {
                        await engine.EventAsync(session, "commit", ts.AddSeconds(2), sha: sha[..7], command: $"git commit -m '{subject}'", output: $"[main {sha[..7]}] {subject}");
                    }
                }

                if (rng.NextDouble() < 0.35)
                {
                    var other = $"s{first + Math.Clamp((i * sessions / commits) + rng.Next(-1, 2), 0, sessions - 1)}";
                    await EnsureSessionAsync(other, ts);
                    await engine.EventAsync(other, "edit", ts.AddHours(-rng.Next(1, 48)), path: added[0].Path, text: $"other_{rng.Next()} = 2");
                }
            }
        }

        private readonly HashSet<string> _known = new(StringComparer.Ordinal);

        private async Task EnsureSessionAsync(string session, DateTimeOffset around)
        {
            if (_known.Add(session))
            {
                await engine.SessionAsync(session, Slug, around.AddDays(-2), around.AddHours(2));
            }
        }
    }
}
