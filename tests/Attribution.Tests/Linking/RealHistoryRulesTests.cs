using System.Text.Json;
using Attribution.Linking;
using Attribution.Tests.Git;
using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Linking;

/// <summary>
/// The rubric's rules for what real histories contain (rebases, amends, cherry-picks, series, parallel sessions
/// of one agent, sub-folder and worktree paths), each on a real git repository built in the test.
/// </summary>
public sealed class RealHistoryRulesTests
{
    private const string Slug = "acme/app";
    private const string Claude = "Co-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>";
    private static readonly DateTimeOffset T0 = TestRepository.T0;
    private static readonly DateTimeOffset Now = T0.AddDays(90);

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Rebase_CommitterTimeDaysLater_LinkedFromAuthorTime(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "svc/api.py", "import os\n");
        await engine.SessionAsync("s1", Slug, T0.AddHours(1), T0.AddHours(2));
        const string text = "def handler(request):\n    return respond(request.payload)\n";
        await engine.EventAsync("s1", "edit", T0.AddHours(1).AddMinutes(5), path: "svc/api.py", text: text);

        // A colleague's commit to the same file lands first; the session's commit is rebased onto it four days later.
        repo.Commit("colleague tweak", T0.AddDays(2), "svc/other.py", "x = 1\n");
        var rebased = repo.Commit("Add handler", T0.AddHours(1).AddMinutes(8), T0.AddDays(4), new Dictionary<string, string?> { ["svc/api.py"] = "import os\n" + text });
        await engine.IngestAsync(Slug, repo);

        await engine.BackfillAsync();

        var link = await engine.LinkAsync(Slug, rebased, "s1");
        link!.LinkType.Should().Be("inferred-by-touch");
        link.Confidence.Should().BeGreaterThanOrEqualTo(0.7);
        link.EvidenceJson.Should().Contain("\"gapMinutes\":3");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Amend_BySessionStartedAfterAuthorTime_IsNotAuthorship(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "README.md", "hello\n");

        // Written at T0+1h by someone else; a session that starts at T0+5h amends it and prints the new sha.
        var amended = repo.Commit("Document setup", T0.AddHours(1), T0.AddHours(5).AddMinutes(10), new Dictionary<string, string?> { ["README.md"] = "hello\nsetup\n" });
        await engine.SessionAsync("late", Slug, T0.AddHours(5), T0.AddHours(6));
        await engine.EventAsync("late", "edit", T0.AddHours(5).AddMinutes(5), path: "README.md", text: "setup instructions for everyone\n");
        await engine.EventAsync("late", "commit", T0.AddHours(5).AddMinutes(10), sha: amended[..7], command: "git commit --amend --no-edit", output: $"[main {amended[..7]}] Document setup");
        await engine.IngestAsync(Slug, repo);

        await engine.BackfillAsync();

        (await engine.LinkAsync(Slug, amended, "late")).Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task CherryPick_PrintedShaGone_SameAuthorTimeAndSubjectCarriesAuthorship(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "lib/core.go", "package core\n");
        await engine.SessionAsync("s1", Slug, T0.AddHours(1), T0.AddHours(2));
        await engine.EventAsync("s1", "shell", T0.AddHours(1).AddMinutes(4), command: "gofmt -w lib/core.go");

        // The session committed 1234abc on a branch that was deleted; the change survives cherry-picked onto main.
        var picked = repo.Commit("core: add retry budget", T0.AddHours(1).AddMinutes(10), T0.AddDays(1), new Dictionary<string, string?> { ["lib/core.go"] = "package core\n\nconst budget = 3\n" });
        await engine.EventAsync("s1", "commit", T0.AddHours(1).AddMinutes(10).AddSeconds(3), sha: "1234abc", branch: "feat/retry",
            command: "git commit -m 'core: add retry budget'", output: "[feat/retry 1234abc] core: add retry budget", subject: "core: add retry budget");
        await engine.IngestAsync(Slug, repo);

        await engine.BackfillAsync();

        var link = await engine.LinkAsync(Slug, picked, "s1");
        link!.LinkType.Should().Be("authored");
        link.EvidenceJson.Should().Contain("commit-output-rewritten");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task QuietCommit_NoOutput_TheCommandsMessageTiesTheCommitAndItsRebasedCopy(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "internal/sem/dependents.go", "package sem\n");

        // The session's edits were made by its sub-agents (no edit of its own); it committed with -q and kept no output.
        const string message = "fix(sem): surface dependents parse failures as warnings\n\nbuildReferenceIndex discarded ParseStatus.\n";
        await engine.SessionAsync("s1", Slug, T0.AddHours(1), T0.AddHours(2));
        await engine.EventAsync("s1", "shell", T0.AddHours(1).AddMinutes(30), command: $"git add -A && git commit -q -m \"{message}\" && git push -q", output: "");
        var original = repo.Commit(message, T0.AddHours(1).AddMinutes(30).AddSeconds(2), new Dictionary<string, string?> { ["internal/sem/dependents.go"] = "package sem\n\nfunc warn() {}\n" });

        // Rebased onto another branch later: same author, author time and subject.
        repo.Branch("rebased");
        var copy = repo.Commit(message, T0.AddHours(1).AddMinutes(30).AddSeconds(2), T0.AddDays(1), new Dictionary<string, string?> { ["internal/sem/dependents.go"] = "package sem\n\nfunc warn() {}\n\n// rebased\n" });
        await engine.IngestAsync(Slug, repo);

        await engine.BackfillAsync();

        foreach (var sha in new[] { original, copy })
        {
            var link = await engine.LinkAsync(Slug, sha, "s1");
            link!.LinkType.Should().Be("authored");
            link.Confidence.Should().Be(1.0);
            link.EvidenceJson.Should().Contain("\"rule\":\"commit-command\"").And.Contain("surface dependents parse failures");
            LinkExplanation.ForCommitLink(link.LinkType, link.EvidenceJson)[0].Should().Contain("with the message “fix(sem): surface dependents parse failures as warnings”");
        }
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task CommitCommand_NoTieWhenTheCommitIsNotThisCommandsOwn(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "app.py", "x = 0\n");
        await engine.SessionAsync("s1", Slug, T0.AddHours(1), T0.AddHours(8));

        // Written half an hour after the command: not this command's commit (a later retry by someone else).
        await engine.EventAsync("s1", "shell", T0.AddHours(1), command: "git commit -q -m 'Raise the default retry budget'");
        var late = repo.Commit("Raise the default retry budget", T0.AddHours(1).AddMinutes(30), "app.py", "x = 1\n");

        // The command failed (a hook refused it); a colleague committed the same words a minute later.
        await engine.EventAsync("s1", "shell", T0.AddHours(2), command: "git commit -m 'Document the retry budget'", output: "hook failed", isError: 1);
        var colleague = repo.Commit("Document the retry budget", T0.AddHours(2).AddMinutes(1), "README.md", "retry\n", author: "Colleague", email: "c@example.com");

        // Two different changes carry the subject within the window: no guessing between them.
        await engine.EventAsync("s1", "shell", T0.AddHours(3), command: "git commit -q -m 'Tidy the retry helpers'");
        var first = repo.Commit("Tidy the retry helpers", T0.AddHours(3).AddMinutes(1), "a.py", "a = 1\n");
        var second = repo.Commit("Tidy the retry helpers", T0.AddHours(3).AddMinutes(2), "b.py", "b = 1\n", author: "Colleague", email: "c@example.com");

        // An amend keeps the author time of the commit it rewrites; the message is not a new change's.
        var amended = repo.Commit("Reword the retry docs thoroughly", T0.AddHours(4).AddMinutes(3), T0.AddHours(4).AddMinutes(5), new Dictionary<string, string?> { ["c.py"] = "c = 1\n" });
        await engine.EventAsync("s1", "shell", T0.AddHours(4).AddMinutes(4), command: "git commit --amend -q -m 'Reword the retry docs thoroughly'");
        await engine.IngestAsync(Slug, repo);

        await engine.BackfillAsync();

        foreach (var sha in new[] { late, colleague, first, second, amended })
        {
            (await engine.LinkAsync(Slug, sha, "s1"))?.LinkType.Should().NotBe("authored", sha);
        }
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SquashMerge_InheritsThePrSessions(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "README.md", "hello\n");
        repo.Branch("feat/retry");
        await engine.SessionAsync("s1", Slug, T0.AddHours(1), T0.AddHours(3));
        var first = repo.Commit("retry: budget", T0.AddHours(1).AddMinutes(10), "lib/retry.go", "package retry\nconst budget = 3\n");
        var second = repo.Commit("retry: backoff", T0.AddHours(1).AddMinutes(20), "lib/retry.go", "package retry\nconst budget = 3\nconst backoff = 2\n");
        await engine.EventAsync("s1", "commit", T0.AddHours(1).AddMinutes(10).AddSeconds(2), sha: first[..7], output: $"[feat/retry {first[..7]}] retry: budget");
        await engine.EventAsync("s1", "commit", T0.AddHours(1).AddMinutes(20).AddSeconds(2), sha: second[..7], output: $"[feat/retry {second[..7]}] retry: backoff");

        // GitHub's squash merge: one new single-parent commit on main, made by nobody's session.
        repo.Checkout("master");
        var squash = repo.Commit("Retry budget and backoff (#7)", T0.AddDays(1), T0.AddDays(1), new Dictionary<string, string?> { ["lib/retry.go"] = "package retry\nconst budget = 3\nconst backoff = 2\n" }, "Dev", "dev@example.com", "noreply@github.com");
        await engine.IngestAsync(Slug, repo);
        await engine.PullRequestAsync(Slug, 7, "merged", "feat/retry", second, "master", mergedAt: T0.AddDays(1), mergeSha: squash);

        await engine.BackfillAsync();

        var link = await engine.LinkAsync(Slug, squash, "s1");
        link!.LinkType.Should().Be("authored");
        link.Confidence.Should().BeGreaterThanOrEqualTo(0.9);
        link.EvidenceJson.Should().Contain("squash-of-pr").And.Contain(first).And.Contain(second);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SquashMergeWithoutPrData_ListedSubjectOfThePrintedCommitCarriesAuthorship(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "README.md", "hello\n");
        await engine.SessionAsync("s1", Slug, T0.AddHours(1), T0.AddHours(3));
        await engine.SessionAsync("other", Slug, T0.AddHours(1), T0.AddHours(3));

        // The session's branch commit is gone from the clone (branch deleted after the squash merge).
        await engine.EventAsync("s1", "commit", T0.AddHours(1).AddMinutes(10), sha: "abc1234", branch: "feat/retry",
            output: "[feat/retry abc1234] retry: add the budget constant", subject: "retry: add the budget constant");
        await engine.EventAsync("other", "commit", T0.AddHours(1).AddMinutes(12), sha: "def5678", branch: "feat/docs",
            output: "[feat/docs def5678] docs: explain the retry budget", subject: "docs: explain the retry budget");
        var squash = repo.Commit("Retry budget (#9)\n\n* retry: add the budget constant\n\n* retry: backoff\n", T0.AddDays(1), T0.AddDays(1),
            new Dictionary<string, string?> { ["lib/retry.go"] = "package retry\nconst budget = 3\n" }, "Dev", "dev@example.com", "noreply@github.com");
        await engine.IngestAsync(Slug, repo);

        await engine.BackfillAsync();

        var link = await engine.LinkAsync(Slug, squash, "s1");
        link!.LinkType.Should().Be("authored");
        link.EvidenceJson.Should().Contain("commit-output-squashed");
        ((await engine.LinkAsync(Slug, squash, "other"))?.Confidence ?? 0).Should().BeLessThan(0.5);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Series_TenCommitsFromOneWrite_AllLinked(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "app/handlers.py", "import os\n");
        var functions = Enumerable.Range(1, 10).Select(i => $"def handler_number_{i}(request):\n    return respond_to_request_{i}(request)\n").ToList();
        await engine.SessionAsync("s1", Slug, T0.AddHours(1), T0.AddHours(3));
        await engine.EventAsync("s1", "write", T0.AddHours(1).AddMinutes(5), path: "app/handlers.py", text: "import os\n" + string.Concat(functions));

        // The session commits its one write in ten steps (git add -p): each earlier step touches the same file.
        var shas = new List<string>();
        for (var i = 1; i <= 10; i++)
        {
            shas.Add(repo.Commit($"handlers: step {i}", T0.AddHours(1).AddMinutes(10 + (3 * i)), "app/handlers.py", "import os\n" + string.Concat(functions.Take(i))));
        }

        await engine.IngestAsync(Slug, repo);

        await engine.BackfillAsync();

        foreach (var sha in shas)
        {
            var link = await engine.LinkAsync(Slug, sha, "s1");
            link!.Confidence.Should().BeGreaterThanOrEqualTo(0.5, $"commit {sha} is part of the session's series");
        }
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ParallelSessionsOfOneAgent_CoAuthorTrailer_OnlyTheEditorCounts(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "src/a.ts", "export const a = 1;\n");
        await engine.SessionAsync("editor", Slug, T0.AddHours(1), T0.AddHours(3));
        await engine.SessionAsync("bystander", Slug, T0.AddHours(1), T0.AddHours(3));
        await engine.EventAsync("editor", "edit", T0.AddHours(1).AddMinutes(20), path: "src/a.ts", text: "export const retries = computeRetries(config);\n");
        await engine.EventAsync("bystander", "edit", T0.AddHours(1).AddMinutes(25), path: "docs/notes.md", text: "notes about the release process\n");
        var sha = repo.Commit($"Add retries\n\n{Claude}\n", T0.AddHours(1).AddMinutes(30), "src/a.ts", "export const a = 1;\nexport const retries = computeRetries(config);\n");
        await engine.IngestAsync(Slug, repo);

        await engine.BackfillAsync();

        var editor = await engine.LinkAsync(Slug, sha, "editor");
        editor!.LinkType.Should().Be("co-authored");
        editor.Confidence.Should().BeGreaterThanOrEqualTo(0.5);
        ((await engine.LinkAsync(Slug, sha, "bystander"))?.Confidence ?? 0).Should().BeLessThan(0.5);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SubAgentCommitsItsParentsEdits_ParentIsNotARival_UnrelatedSessionStill(string provider)
    {
        foreach (var related in new[] { true, false })
        {
            await using var engine = await EngineHarness.CreateAsync(provider, Now);
            using var repo = TestRepository.Create();
            repo.Commit("init", T0, "svc/sync.go", "package svc\n");
            const string budget = "func retryBudget() int {\n\treturn 3\n}\n";
            const string backoff = "func backoff(attempt int) time.Duration {\n\treturn time.Duration(attempt) * time.Second\n}\n";
            // The lead edits the file, spawns a worker in the same working tree, and the worker commits the file with
            // both edits in it (git commits the file as the tree holds it).
            await engine.SessionAsync("lead", Slug, T0.AddHours(1), T0.AddHours(3), agent: "codex");
            await engine.SessionAsync("worker", Slug, T0.AddHours(1).AddMinutes(10), T0.AddHours(2), agent: "codex", parent: related ? "lead" : null);
            await engine.EventAsync("lead", "edit", T0.AddHours(1).AddMinutes(5), path: "svc/sync.go", text: budget);
            await engine.EventAsync("worker", "edit", T0.AddHours(1).AddMinutes(20), path: "svc/sync.go", text: backoff);
            var sha = repo.Commit("Add retry budget and backoff", T0.AddHours(1).AddMinutes(25), "svc/sync.go", "package svc\n\n" + budget + "\n" + backoff);
            await engine.EventAsync("worker", "commit", T0.AddHours(1).AddMinutes(25).AddSeconds(2), sha: sha[..7], command: "git commit -am 'Add retry budget and backoff'",
                output: $"[main {sha[..7]}] Add retry budget and backoff", subject: "Add retry budget and backoff");
            await engine.IngestAsync(Slug, repo);

            await engine.BackfillAsync();

            (await engine.LinkAsync(Slug, sha, "worker"))!.LinkType.Should().Be("authored");
            var lead = await engine.LinkAsync(Slug, sha, "lead");
            lead!.LinkType.Should().Be("inferred-by-touch");
            using var evidence = JsonDocument.Parse(lead.EvidenceJson);
            var touch = evidence.RootElement.GetProperty("touch");
            if (related)
            {
                // Its own evidence, not halved by its sub-agent's; calibrated on the rule's own table.
                evidence.RootElement.GetProperty("rule").GetString().Should().Be("touch-same-task");
                touch.GetProperty("competingSessions").GetArrayLength().Should().Be(0);
                var same = touch.GetProperty("sameTask")[0];
                (same.GetProperty("sessionId").GetString(), same.GetProperty("relation").GetString()).Should().Be(("worker", "sub-agent"));
                touch.GetProperty("final").GetDouble().Should().Be(touch.GetProperty("raw").GetDouble());
                lead.Confidence.Should().Be(LinkCalibration.Default.Apply("inferred-by-touch", touch.GetProperty("final").GetDouble(), "touch-same-task"));
                lead.Confidence.Should().BeInRange(0.5, 0.8, "the lead's edits are in the commit, but such pairs are right about two times in three");
            }
            else
            {
                // Another session's edits of the same file compete with it: a rival claim on the change.
                evidence.RootElement.GetProperty("rule").GetString().Should().Be("touch");
                touch.TryGetProperty("sameTask", out _).Should().BeFalse();
                touch.GetProperty("competingSessions")[0].GetProperty("sessionId").GetString().Should().Be("worker");
                lead.Confidence.Should().BeLessThan(0.5);
            }
        }
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SessionStartedAfterCommit_NeverLinked(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "src/a.ts", "export const a = 1;\n");
        var sha = repo.Commit($"Change a\n\n{Claude}\n", T0.AddHours(1), T0.AddHours(4), new Dictionary<string, string?> { ["src/a.ts"] = "export const a = computeTheValue(2);\n" });

        // Started after the change was written (it rebased the commit at T0+4h and re-edited the same line).
        await engine.SessionAsync("later", Slug, T0.AddHours(3), T0.AddHours(5));
        await engine.EventAsync("later", "edit", T0.AddHours(3).AddMinutes(10), path: "src/a.ts", text: "export const a = computeTheValue(2);\n");
        await engine.EventAsync("later", "commit", T0.AddHours(4), sha: sha[..8], command: "git rebase main", output: $"[main {sha[..8]}] Change a");
        await engine.IngestAsync(Slug, repo);

        await engine.BackfillAsync();

        (await engine.LinkAsync(Slug, sha, "later")).Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SubFolderSession_RelativePathMapsToTheOneRepositoryPath(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, new Dictionary<string, string?> { ["agents/a/internal/x.go"] = "package x\n", ["agents/b/internal/y.go"] = "package y\n" });
        await engine.SessionAsync("s1", Slug, T0.AddHours(1), T0.AddHours(2));
        const string text = "func Retry(budget int) error { return nil }\n";
        await engine.EventAsync("s1", "edit", T0.AddHours(1).AddMinutes(5), path: "internal/x.go", text: text);
        var sha = repo.Commit("x: retry", T0.AddHours(1).AddMinutes(9), "agents/a/internal/x.go", "package x\n" + text);
        await engine.IngestAsync(Slug, repo);

        await engine.BackfillAsync();

        var link = await engine.LinkAsync(Slug, sha, "s1");
        link!.Confidence.Should().BeGreaterThanOrEqualTo(0.5);
        link.EvidenceJson.Should().Contain("agents/a/internal/x.go");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SubFolderSession_TwoCandidatePaths_NoGuess(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, new Dictionary<string, string?> { ["agents/a/internal/x.go"] = "package x\n", ["agents/b/internal/x.go"] = "package x\n" });
        await engine.SessionAsync("s1", Slug, T0.AddHours(1), T0.AddHours(2));
        const string text = "func Retry(budget int) error { return nil }\n";
        await engine.EventAsync("s1", "edit", T0.AddHours(1).AddMinutes(5), path: "internal/x.go", text: text);
        var sha = repo.Commit("x: retry", T0.AddHours(1).AddMinutes(9), "agents/a/internal/x.go", "package x\n" + text);
        await engine.IngestAsync(Slug, repo);

        await engine.BackfillAsync();

        (await engine.LinkAsync(Slug, sha, "s1")).Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task WorktreeWithSlashInName_AbsolutePathMapsToRepositoryPath(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, new Dictionary<string, string?> { ["src/app.py"] = "import os\n", ["app.py"] = "import sys\n" });
        await engine.SessionAsync("s1", Slug, T0.AddHours(1), T0.AddHours(2));
        const string text = "def serve_forever(port):\n    listen_on_port(port)\n";
        await engine.EventAsync("s1", "edit", T0.AddHours(1).AddMinutes(5), path: "/home/dev/.claude/worktrees/feat/retry-budget/src/app.py", text: text);
        var sha = repo.Commit("serve", T0.AddHours(1).AddMinutes(9), "src/app.py", "import os\n" + text);
        await engine.IngestAsync(Slug, repo);

        await engine.BackfillAsync();

        var link = await engine.LinkAsync(Slug, sha, "s1");
        link!.Confidence.Should().BeGreaterThanOrEqualTo(0.5);
        link.EvidenceJson.Should().Contain("\"src/app.py\"");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task EditOutsideTheSessionsFolder_AbsolutePathAloneMapsToRepositoryPath(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "internal/gitproto/push.go", "package gitproto\n");

        // Started in ~/work/tasks, it edited the clone in ~/work/entire/git-sync: the reader keeps no relative path for it.
        await engine.SessionAsync("s1", Slug, T0.AddHours(1), T0.AddHours(2));
        const string text = "\tvar cs packp.CommandStatusErr\n\tif !errors.As(err, &cs) {\n";
        await engine.EventAsync("s1", "edit", T0.AddHours(1).AddMinutes(5), absPath: "/Users/nodo/work/entire/git-sync/internal/gitproto/push.go", text: text);
        var sha = repo.Commit("gitproto: match CommandStatusErr by value", T0.AddHours(1).AddMinutes(9), "internal/gitproto/push.go", "package gitproto\n\n" + text);
        await engine.IngestAsync(Slug, repo);

        await engine.BackfillAsync();

        var link = await engine.LinkAsync(Slug, sha, "s1");
        link!.Confidence.Should().BeGreaterThanOrEqualTo(0.5);
        link.EvidenceJson.Should().Contain("\"internal/gitproto/push.go\"");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task LongerPathToATopLevelFile_OnlyUnderAFolderTheSessionShowsIsACheckout(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, new Dictionary<string, string?> { ["CLAUDE.md"] = "# rules\n", ["CHANGELOG.md"] = "# changes\n", ["internal/push.go"] = "package p\n", ["README.md"] = "# app\n" });

        // "remember": the agent's own global memory file, which only shares its name with the repository's.
        await engine.SessionAsync("memory", Slug, T0.AddHours(1), T0.AddHours(2), cwd: "/Users/dev/work/app");
        await engine.EventAsync("memory", "edit", T0.AddHours(1).AddMinutes(5), absPath: "/Users/dev/.claude/CLAUDE.md", text: "Always run the linters before committing.\n");
        await engine.SessionAsync("home", Slug, T0.AddHours(1), T0.AddHours(2), cwd: "/Users/dev");
        await engine.EventAsync("home", "edit", T0.AddHours(1).AddMinutes(5), path: ".claude/CLAUDE.md", absPath: "/Users/dev/.claude/CLAUDE.md", text: "Prefer small commits.\n");

        // A clone outside the session's folder: a nested file shows it is a checkout, so its top-level CHANGELOG.md is ours.
        await engine.SessionAsync("clone", Slug, T0.AddHours(1), T0.AddHours(2), cwd: "/Users/dev/tasks");
        await engine.EventAsync("clone", "edit", T0.AddHours(1).AddMinutes(5), absPath: "/Users/dev/src/app/internal/push.go", text: "func push() error { return nil }\n");
        await engine.EventAsync("clone", "edit", T0.AddHours(1).AddMinutes(6), absPath: "/Users/dev/src/app/CHANGELOG.md", text: "- push reports its errors now\n");

        // The session's own working folder, recorded before the folder was renamed.
        await engine.SessionAsync("renamed", Slug, T0.AddHours(3), T0.AddHours(4), cwd: "/Users/dev/work/old-name/");
        await engine.EventAsync("renamed", "edit", T0.AddHours(3).AddMinutes(5), absPath: "/Users/dev/work/old-name/README.md", text: "Install it with brew install app.\n");

        var rules = repo.Commit("Tighten the house rules", T0.AddHours(1).AddMinutes(8), "CLAUDE.md", "# rules\nNo force pushes.\n");
        var changes = repo.Commit("Push reports its errors", T0.AddHours(1).AddMinutes(9), new Dictionary<string, string?>
        {
            ["internal/push.go"] = "package p\n\nfunc push() error { return nil }\n", ["CHANGELOG.md"] = "# changes\n- push reports its errors now\n",
        });
        var readme = repo.Commit("Document brew", T0.AddHours(3).AddMinutes(9), "README.md", "# app\nInstall it with brew install app.\n");
        await engine.IngestAsync(Slug, repo);

        await engine.BackfillAsync();

        (await engine.LinkAsync(Slug, rules, "memory")).Should().BeNull();
        (await engine.LinkAsync(Slug, rules, "home")).Should().BeNull();
        (await engine.LinkAsync(Slug, changes, "clone"))!.EvidenceJson.Should().Contain("\"CHANGELOG.md\"").And.Contain("\"internal/push.go\"");
        (await engine.LinkAsync(Slug, readme, "renamed"))!.Confidence.Should().BeGreaterThanOrEqualTo(0.5);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task RemoteSessionTrailer_NamesTheSessionByItsRemoteId(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "internal/sem/dependents.go", "package sem\n");

        // A Claude Code remote session: its transcript is fc71f2f6-…, claude.ai knows it as session_013CMt….
        await engine.SessionAsync("fc71f2f6-8d80-49fa-a756-bb1cb91bcb84", Slug, T0.AddHours(1), T0.AddHours(2), remoteId: "013CMtDDkQkwEkfeFyk96TeY");
        await engine.SessionAsync("other", Slug, T0.AddHours(1), T0.AddHours(2), remoteId: "01AS8YV3giRoWagbRFo3ihAX");
        var sha = repo.Commit("fix(sem): surface dependents parse failures as warnings\n\nCo-Authored-By: Claude Fable 5 <noreply@anthropic.com>\n"
            + "Claude-Session: https://claude.ai/code/session_013CMtDDkQkwEkfeFyk96TeY\n", T0.AddDays(3), "internal/sem/dependents.go", "package sem\n\nfunc warn() {}\n");
        await engine.IngestAsync(Slug, repo);

        await engine.BackfillAsync();

        var link = await engine.LinkAsync(Slug, sha, "fc71f2f6-8d80-49fa-a756-bb1cb91bcb84");
        (link!.LinkType, link.Confidence).Should().Be(("authored", 1.0));
        link.EvidenceJson.Should().Contain("\"rule\":\"session-trailer\"").And.Contain("\"remoteId\":\"013CMtDDkQkwEkfeFyk96TeY\"");
        (await engine.LinkAsync(Slug, sha, "other"))?.LinkType.Should().NotBe("authored");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task BackfillWithoutSince_LinksSessionsSixtyDaysOld(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, T0.AddDays(61));
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "README.md", "hello\n");
        var sha = repo.Commit("feat: add thing", T0.AddHours(1), "src/thing.py", "print('thing')\n");
        await engine.IngestAsync(Slug, repo);
        await engine.SessionAsync("s1", Slug, T0.AddMinutes(30), T0.AddHours(2));
        await engine.EventAsync("s1", "commit", T0.AddHours(1).AddSeconds(2), sha: sha[..7], command: "git commit -m 'feat: add thing'", output: $"[main {sha[..7]}] feat: add thing");

        var result = await engine.Backfill.RunAsync(null, null, null, CancellationToken.None);

        result.Since.Should().BeNull();
        (await engine.LinkAsync(Slug, sha, "s1"))!.LinkType.Should().Be("authored");

        // A window says what it left out.
        var windowed = await engine.Backfill.RunAsync(null, TimeSpan.FromDays(30), null, CancellationToken.None);
        windowed.SessionsLeftOut.Should().Be(1);
    }
}
