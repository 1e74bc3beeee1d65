using System.Text;
using System.Text.Json;
using Attribution.Git;
using Attribution.Linking;
using Attribution.Tests.Infrastructure;
using Attribution.Tests.Linking;
using Dapper;

namespace Attribution.Tests.Sources;

/// <summary>
/// Entire checkpoints read by <c>ingest git</c> (docs/sources.md): a checkpoint branch written with git in the test,
/// and an excerpt of a real one (Fixtures/entire, from entireio/git-sync).
/// </summary>
public sealed class EntireCheckpointTests
{
    private const string Slug = "acme/app";
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
    private const string ClaudeId = "11111111-aaaa-4bbb-8ccc-000000000001";

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    private static string Json(object value) => JsonSerializer.Serialize(value);

    private static string SessionMetadata(string checkpoint, string sessionId, string agent, string model, string[] files) => Json(new
    {
        cli_version = "0.8.42",
        checkpoint_id = checkpoint,
        session_id = sessionId,
        strategy = "manual-commit",
        created_at = "2026-11-01T08:30:00Z",
        agent,
        model,
        files_touched = files,
        token_usage = new { input_tokens = 100, cache_creation_tokens = 10, cache_read_tokens = 1000, output_tokens = 50, api_call_count = 3 },
    });

    private static string TopMetadata(string checkpoint, int sessions) => Json(new
    {
        cli_version = "0.8.42",
        checkpoint_id = checkpoint,
        strategy = "manual-commit",
        sessions = Enumerable.Range(0, sessions).Select(n => new
        {
            metadata = $"/{checkpoint[..2]}/{checkpoint[2..]}/{n}/metadata.json",
            transcript = $"/{checkpoint[..2]}/{checkpoint[2..]}/{n}/full.jsonl",
        }).ToArray(),
    });

    // A Claude Code transcript in two records; Entire stores it split (each part without its final newline).
    private static readonly string[] ClaudeRecords =
    [
        Json(new { type = "user", sessionId = ClaudeId, uuid = "u1", timestamp = "2026-11-01T08:30:00Z", cwd = "/w/app", message = new { role = "user", content = "add the parser" } }),
        Json(new
        {
            type = "assistant", sessionId = ClaudeId, uuid = "u2", timestamp = "2026-11-01T08:31:00Z", cwd = "/w/app",
            message = new
            {
                id = "msg_1", role = "assistant", model = "claude-opus-4-6",
                content = new object[] { new { type = "tool_use", id = "toolu_1", name = "Write", input = new { file_path = "/w/app/src/parser.go", content = "package parser\n" } } },
                usage = new { input_tokens = 12, output_tokens = 34 },
            },
        }),
    ];

    /// <summary>A clone with commits naming two checkpoints and the branch recording them.</summary>
    private static (string Named, string Disjoint, string BranchTip) BuildRecorded(GitShell git)
    {
        git.Commit("init", T0, ("README.md", "hello\n"));
        var named = git.Commit("feat: parser\n\nEntire-Checkpoint: a1b2c3d4e5f6", T0.AddHours(1), ("src/parser.go", "package parser\n"));
        var disjoint = git.Commit("docs: notes\n\nEntire-Checkpoint: 0f0e0d0c0b0a", T0.AddHours(2), ("docs/notes.md", "notes\n"));
        var tip = git.OrphanBranch("entire/checkpoints/v1", T0.AddHours(3), new Dictionary<string, byte[]>
        {
            ["a1/b2c3d4e5f6/metadata.json"] = Bytes(TopMetadata("a1b2c3d4e5f6", 2)),
            ["a1/b2c3d4e5f6/0/metadata.json"] = Bytes(SessionMetadata("a1b2c3d4e5f6", ClaudeId, "Claude Code", "claude-opus-4-6", ["src/parser.go"])),
            ["a1/b2c3d4e5f6/0/full.jsonl"] = Bytes(ClaudeRecords[0]),
            ["a1/b2c3d4e5f6/0/full.jsonl.001"] = Bytes(ClaudeRecords[1]),
            ["a1/b2c3d4e5f6/1/metadata.json"] = Bytes(SessionMetadata("a1b2c3d4e5f6", "2026-11-01-gemini-0001", "Gemini CLI", "gemini-3-pro", ["src/parser.go", "README.md"])),
            // Gemini CLI keeps one indented JSON document: no reader of the product knows it.
            ["a1/b2c3d4e5f6/1/full.jsonl"] = Bytes(JsonSerializer.Serialize(new { sessionId = "gemini-0001", projectHash = "x", messages = Array.Empty<object>() }, new JsonSerializerOptions { WriteIndented = true })),
            ["0f/0e0d0c0b0a/metadata.json"] = Bytes(TopMetadata("0f0e0d0c0b0a", 1)),
            ["0f/0e0d0c0b0a/0/metadata.json"] = Bytes(SessionMetadata("0f0e0d0c0b0a", "33333333-aaaa-4bbb-8ccc-000000000003", "Cursor", "gpt-5.5", ["src/other.go"])),
        });
        return (named, disjoint, tip);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Checkpoint_FilesMeet_RecordedLinkAtOne_TranscriptReadAndMetadataOnlySessionKept(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, T0.AddDays(1));
        using var git = new GitShell();
        var (named, disjoint, tip) = BuildRecorded(git);

        var scan = await engine.IngestAsync(Slug, git.Path);
        await engine.BackfillAsync();

        scan.Sources!.Checkpoints.Should().Be(2);
        scan.Sources.Warnings.Should().BeEmpty("a Gemini CLI transcript is not a bad input: that agent has no reader");

        var claude = await engine.LinkAsync(Slug, named, ClaudeId);
        claude!.LinkType.Should().Be(RecordedLinker.Recorded);
        claude.Confidence.Should().Be(1.0);
        using (var evidence = JsonDocument.Parse(claude.EvidenceJson))
        {
            evidence.RootElement.GetProperty("source").GetString().Should().Be("entire");
            evidence.RootElement.GetProperty("checkpoint").GetString().Should().Be("a1b2c3d4e5f6");
            evidence.RootElement.GetProperty("via").GetString().Should().Be("trailer");
            evidence.RootElement.GetProperty("files").EnumerateArray().Select(e => e.GetString()).Should().Equal("src/parser.go");
        }

        var gemini = await engine.LinkAsync(Slug, named, "gemini-0001");
        gemini!.LinkType.Should().Be(RecordedLinker.Recorded);
        (await engine.LinkAsync(Slug, disjoint, "33333333-aaaa-4bbb-8ccc-000000000003")).Should().BeNull("its files miss the commit's: the rubric judges, and it has nothing");

        await using var c = await engine.Database.Connections.OpenAsync(CancellationToken.None);
        // The joined transcript was read with the Claude Code reader: both records, the edit and the message's tokens.
        var session = await c.QuerySingleAsync<(string Agent, string? Model, long Output, string? Repo)>(
            "SELECT agent, model, output_tokens, repo_slug FROM sessions WHERE session_id = @Id", new { Id = ClaudeId });
        session.Should().Be(("claude-code", "claude-opus-4-6", 34L, Slug));
        (await c.ExecuteScalarAsync<long>("SELECT count(*) FROM session_events WHERE session_id = @Id AND kind = 'edit'", new { Id = ClaudeId })).Should().Be(1);

        // Gemini CLI: no reader, so the session stands on Entire's metadata: agent, model, tokens, time.
        var metadataOnly = await c.QuerySingleAsync<(string Agent, string? Model, long Input, long Output, long CacheRead, string? Started)>(
            "SELECT agent, model, input_tokens, output_tokens, cache_read_tokens, started_ts FROM sessions WHERE session_id = 'gemini-0001'");
        metadataOnly.Agent.Should().Be("gemini-cli");
        metadataOnly.Model.Should().Be("gemini-3-pro");
        (metadataOnly.Input, metadataOnly.Output, metadataOnly.CacheRead).Should().Be((100L, 50L, 1000L));
        metadataOnly.Started.Should().StartWith("2026-11-01T08:30:00");

        // The branch's own commit is metadata, not work: never read as a commit.
        (await c.ExecuteScalarAsync<long>("SELECT count(*) FROM commits WHERE sha = @Tip", new { Tip = tip })).Should().Be(0);
        (await c.ExecuteScalarAsync<long>("SELECT count(*) FROM commits")).Should().Be(3);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Checkpoint_RecordedLinkSurvivesLaterPasses_AndRescanReadsNothingAgain(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, T0.AddDays(1));
        using var git = new GitShell();
        var (named, _, _) = BuildRecorded(git);
        await engine.IngestAsync(Slug, git.Path);
        await engine.BackfillAsync();

        // A new work commit moves main: the pass rescans and relinks every session; the recorded link stays.
        git.Commit("chore: more", T0.AddHours(5), ("README.md", "hello again\n"));
        var rescan = await engine.IngestAsync(Slug, git.Path);
        await engine.BackfillAsync();
        await engine.BackfillAsync();

        rescan.Sources!.Checkpoints.Should().Be(0, "no checkpoint folder changed");
        (await engine.LinkAsync(Slug, named, ClaudeId))!.LinkType.Should().Be(RecordedLinker.Recorded);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Checkpoint_SquashMergeQuotingTheTrailer_IsLinked(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, T0.AddDays(1));
        using var git = new GitShell();
        git.Commit("init", T0, ("README.md", "hello\n"));
        // GitHub's squash message: the squashed commits' messages, with their trailers, then its own trailer block.
        var squash = git.Commit(
            "feat: parser (#4)\n\n* feat: parser\n\nEntire-Checkpoint: a1b2c3d4e5f6\n\n---------\n\nCo-authored-by: Dev <dev@example.com>",
            T0.AddHours(1), ("src/parser.go", "package parser\n"));
        git.OrphanBranch("entire/checkpoints/v1", T0.AddHours(3), new Dictionary<string, byte[]>
        {
            ["a1/b2c3d4e5f6/metadata.json"] = Bytes(TopMetadata("a1b2c3d4e5f6", 1)),
            ["a1/b2c3d4e5f6/0/metadata.json"] = Bytes(SessionMetadata("a1b2c3d4e5f6", ClaudeId, "Claude Code", "claude-opus-4-6", ["src/parser.go"])),
            ["a1/b2c3d4e5f6/0/full.jsonl"] = Bytes(string.Join('\n', ClaudeRecords)),
        });

        await engine.IngestAsync(Slug, git.Path);
        await engine.BackfillAsync();

        var link = await engine.LinkAsync(Slug, squash, ClaudeId);
        link!.LinkType.Should().Be(RecordedLinker.Recorded);
        using var evidence = JsonDocument.Parse(link.EvidenceJson);
        evidence.RootElement.GetProperty("via").GetString().Should().Be("message");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Checkpoint_SessionAtSeveralCheckpoints_ItsLargestReadableCopyIsRead(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, T0.AddDays(1));
        using var git = new GitShell();
        git.Commit("init", T0, ("README.md", "hello\n"));
        var first = git.Commit("feat: parser\n\nEntire-Checkpoint: a1000000000a", T0.AddHours(1), ("src/parser.go", "package parser\n"));
        var second = git.Commit("feat: lexer\n\nEntire-Checkpoint: b2000000000b", T0.AddHours(2), ("src/lexer.go", "package lexer\n"));
        var third = git.Commit("docs: readme\n\nEntire-Checkpoint: c3000000000c", T0.AddHours(3), ("README.md", "hello again\n"));
        // Entire stores the session's whole transcript so far at each checkpoint: each copy grows the one before.
        var lexerEdit = Json(new
        {
            type = "assistant", sessionId = ClaudeId, uuid = "u3", timestamp = "2026-11-01T09:31:00Z", cwd = "/w/app",
            message = new
            {
                id = "msg_2", role = "assistant", model = "claude-opus-4-6",
                content = new object[] { new { type = "tool_use", id = "toolu_2", name = "Write", input = new { file_path = "/w/app/src/lexer.go", content = "package lexer\n" } } },
                usage = new { input_tokens = 5, output_tokens = 6 },
            },
        });
        var lastWords = Json(new { type = "user", sessionId = ClaudeId, uuid = "u4", timestamp = "2026-11-01T10:30:00Z", cwd = "/w/app", message = new { role = "user", content = "update the readme" } });
        string[] copies =
        [
            string.Join('\n', ClaudeRecords),
            string.Join('\n', [.. ClaudeRecords, lexerEdit]),
            string.Join('\n', [.. ClaudeRecords, lexerEdit, lastWords]),
        ];
        var files = new Dictionary<string, byte[]>();
        foreach (var (id, copy, touched) in new[] { ("a1000000000a", copies[0], "src/parser.go"), ("b2000000000b", copies[1], "src/lexer.go"), ("c3000000000c", copies[2], "README.md") })
        {
            var folder = $"{id[..2]}/{id[2..]}";
            files[$"{folder}/metadata.json"] = Bytes(TopMetadata(id, 1));
            files[$"{folder}/0/metadata.json"] = Bytes(SessionMetadata(id, ClaudeId, "Claude Code", "claude-opus-4-6", [touched]));
            files[$"{folder}/0/full.jsonl"] = Bytes(copy);
        }

        git.OrphanBranch("entire/checkpoints/v1", T0.AddHours(4), files);
        // The largest copy's blob is missing from the clone: the next largest is read instead.
        var largest = git.Run("rev-parse", "entire/checkpoints/v1:c3/000000000c/0/full.jsonl");
        File.Delete(Path.Combine(git.Path, ".git", "objects", largest[..2], largest[2..]));

        var scan = await engine.IngestAsync(Slug, git.Path);
        await engine.BackfillAsync();

        scan.Sources!.Checkpoints.Should().Be(3);
        scan.Sources.Warnings.Should().ContainSingle().Which.Should()
            .Contain("c3000000000c").And.Contain("missing from the clone").And.Contain("read from another checkpoint's copy");
        await using var c = await engine.Database.Connections.OpenAsync(CancellationToken.None);
        (await c.QueryAsync<string>("SELECT path FROM session_events WHERE session_id = @Id AND kind = 'edit' ORDER BY path", new { Id = ClaudeId }))
            .Should().Equal("src/lexer.go", "src/parser.go");
        (await c.ExecuteScalarAsync<long>("SELECT output_tokens FROM sessions WHERE session_id = @Id", new { Id = ClaudeId })).Should().Be(40, "34 + 6: the two messages of the copy read");
        foreach (var sha in new[] { first, second, third })
        {
            (await engine.LinkAsync(Slug, sha, ClaudeId))!.LinkType.Should().Be(RecordedLinker.Recorded, "every checkpoint still names the session");
        }
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Checkpoint_BadInput_OneWarningEach_RestRead(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, T0.AddDays(1));
        using var git = new GitShell();
        git.Commit("init", T0, ("README.md", "hello\n"));
        // The commit itself lacks a blob too (its file list cannot be diffed): its trees still say which paths it changed.
        var good = git.Commit("feat: parser\n\nEntire-Checkpoint: a1b2c3d4e5f6", T0.AddHours(1), ("src/parser.go", "package parser\n"), ("vendor/big.c", "/* generated 1 */\n"));
        var missingBlob = Bytes(string.Join('\n', ClaudeRecords) + "\n{\"unique\":1}");
        git.OrphanBranch("entire/checkpoints/v1", T0.AddHours(3), new Dictionary<string, byte[]>
        {
            ["a1/b2c3d4e5f6/metadata.json"] = Bytes(TopMetadata("a1b2c3d4e5f6", 1)),
            ["a1/b2c3d4e5f6/0/metadata.json"] = Bytes(SessionMetadata("a1b2c3d4e5f6", ClaudeId, "Claude Code", "claude-opus-4-6", ["src/parser.go"])),
            ["a1/b2c3d4e5f6/0/full.jsonl"] = Bytes(string.Join('\n', ClaudeRecords)),
            // A transcript whose blob the clone lacks (as in partial clones and the dev-set snapshots).
            ["b1/000000000b/metadata.json"] = Bytes(TopMetadata("b1000000000b", 1)),
            ["b1/000000000b/0/metadata.json"] = Bytes(SessionMetadata("b1000000000b", "44444444-aaaa-4bbb-8ccc-000000000004", "Claude Code", "claude-opus-4-6", ["x.go"])),
            ["b1/000000000b/0/full.jsonl"] = missingBlob,
            // Metadata of a version this reader does not know.
            ["c1/000000000c/metadata.json"] = Bytes(TopMetadata("c1000000000c", 1)),
            ["c1/000000000c/0/metadata.json"] = Bytes(Json(new { checkpoint_version = "branch-v9", session_id = "55555555-aaaa-4bbb-8ccc-000000000005", agent = "Codex", files_touched = new[] { "y.go" } })),
            // Metadata that is not JSON.
            ["d1/000000000d/metadata.json"] = Bytes(TopMetadata("d1000000000d", 1)),
            ["d1/000000000d/0/metadata.json"] = Bytes("{not json"),
            // A Claude Code session whose transcript is in no format the product reads.
            ["e1/000000000e/metadata.json"] = Bytes(TopMetadata("e1000000000e", 1)),
            ["e1/000000000e/0/metadata.json"] = Bytes(SessionMetadata("e1000000000e", "66666666-aaaa-4bbb-8ccc-000000000006", "Claude Code", "claude-opus-4-6", ["z.go"])),
            ["e1/000000000e/0/full.jsonl"] = Bytes("<html>not a transcript</html>"),
        });
        var missing = git.Run("rev-parse", "entire/checkpoints/v1:b1/000000000b/0/full.jsonl");
        File.Delete(Path.Combine(git.Path, ".git", "objects", missing[..2], missing[2..]));
        var big = git.Run("rev-parse", $"{good}:vendor/big.c");
        File.Delete(Path.Combine(git.Path, ".git", "objects", big[..2], big[2..]));

        var scan = await engine.IngestAsync(Slug, git.Path);
        await engine.BackfillAsync();

        scan.Sources!.Warnings.Should().HaveCount(4);
        scan.Sources.Warnings.Should().ContainSingle(w => w.Contains("b1000000000b", StringComparison.Ordinal) && w.Contains("missing from the clone", StringComparison.Ordinal));
        scan.Sources.Warnings.Should().ContainSingle(w => w.Contains("c1000000000c", StringComparison.Ordinal) && w.Contains("unknown version branch-v9", StringComparison.Ordinal));
        scan.Sources.Warnings.Should().ContainSingle(w => w.Contains("d1000000000d", StringComparison.Ordinal) && w.Contains("not a JSON object", StringComparison.Ordinal));
        scan.Sources.Warnings.Should().ContainSingle(w => w.Contains("e1000000000e", StringComparison.Ordinal) && w.Contains("unknown format", StringComparison.Ordinal));
        (await engine.LinkAsync(Slug, good, ClaudeId))!.LinkType.Should().Be(RecordedLinker.Recorded, "nothing else is lost");
        scan.Warnings.Should().Be(1, "the work commit with a missing blob is the git scan's own warning");

        await using var c = await engine.Database.Connections.OpenAsync(CancellationToken.None);
        (await c.ExecuteScalarAsync<string>("SELECT agent FROM sessions WHERE session_id = '44444444-aaaa-4bbb-8ccc-000000000004'")).Should().Be("claude-code", "kept from its metadata");
        (await c.ExecuteScalarAsync<long>("SELECT count(*) FROM recorded_sessions WHERE session_id = '55555555-aaaa-4bbb-8ccc-000000000005'")).Should().Be(0, "an unknown version is not taken as recorded");
        (await c.ExecuteScalarAsync<long>("SELECT output_tokens FROM sessions WHERE session_id = '44444444-aaaa-4bbb-8ccc-000000000004'")).Should().Be(50, "Entire's totals stand in for the missing transcript");

        // The session's transcript read later from disk: its own messages replace Entire's totals, never add to them.
        var transcript = string.Join('\n', ClaudeRecords).Replace(ClaudeId, "44444444-aaaa-4bbb-8ccc-000000000004", StringComparison.Ordinal) + "\n";
        await engine.Sessions.ImportAsync(new MemoryStream(Bytes(transcript)), "claude-code", Slug, CancellationToken.None);
        (await c.ExecuteScalarAsync<long>("SELECT output_tokens FROM sessions WHERE session_id = '44444444-aaaa-4bbb-8ccc-000000000004'")).Should().Be(34);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Checkpoint_RealExcerpt_FromEntireGitSync(string provider)
    {
        // Checkpoint 353b7b5e9720 of entireio/git-sync, byte for byte (Fixtures/SOURCES.md).
        await using var engine = await EngineHarness.CreateAsync(provider, new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));
        using var git = new GitShell();
        var when = new DateTimeOffset(2026, 5, 27, 12, 0, 0, TimeSpan.Zero);
        git.Commit("init", when.AddHours(-2), ("go.mod", "module example\n"), ("go.sum", ""));
        var bump = git.Commit("Bump to v6.0.0-alpha.1\n\nEntire-Checkpoint: 353b7b5e9720", when, ("go.mod", "module example\n\nrequire github.com/go-git/go-billy/v6 v6.0.0-alpha.1\n"), ("go.sum", "x\n"));
        git.OrphanBranch("entire/checkpoints/v1", when.AddMinutes(1), new Dictionary<string, byte[]>
        {
            ["35/3b7b5e9720/metadata.json"] = FixtureFiles.ReadFixture("entire/353b7b5e9720/metadata.json"),
            ["35/3b7b5e9720/0/metadata.json"] = FixtureFiles.ReadFixture("entire/353b7b5e9720/0/metadata.json"),
            ["35/3b7b5e9720/0/full.jsonl"] = FixtureFiles.ReadFixture("entire/353b7b5e9720/0/full.jsonl"),
        });

        var scan = await engine.IngestAsync(Slug, git.Path);
        await engine.Backfill.RunAsync(null, TimeSpan.FromDays(3650), null, CancellationToken.None);

        scan.Sources!.Warnings.Should().BeEmpty();
        const string session = "8155f2c7-bab2-4be9-9e17-b4140feb7b6b";
        var link = await engine.LinkAsync(Slug, bump, session);
        link!.LinkType.Should().Be(RecordedLinker.Recorded);
        link.Confidence.Should().Be(1.0);
        using (var evidence = JsonDocument.Parse(link.EvidenceJson))
        {
            evidence.RootElement.GetProperty("files").EnumerateArray().Select(e => e.GetString()).Should().Equal("go.mod", "go.sum");
            evidence.RootElement.GetProperty("recorded").GetProperty("model").GetString().Should().Be("claude-opus-4-7[1m]");
        }

        await using var c = await engine.Database.Connections.OpenAsync(CancellationToken.None);
        var agent = await c.ExecuteScalarAsync<string>("SELECT agent FROM sessions WHERE session_id = @Id", new { Id = session });
        agent.Should().Be("claude-code", "the transcript was read with the Claude Code reader");
    }

    [Theory]
    [InlineData("refs/heads/entire/checkpoints/v1", true)]
    [InlineData("refs/remotes/origin/entire/checkpoints/v1", true)]
    [InlineData("refs/entire/checkpoints/abc", true)]
    [InlineData("refs/notes/ai", true)]
    [InlineData("refs/notes/commits", true)]
    [InlineData("refs/pull/12/merge", true)]
    [InlineData("refs/pull/12/head", false)]
    [InlineData("refs/heads/main", false)]
    [InlineData("refs/heads/entire-feature", false)]
    [InlineData("refs/tags/v1", false)]
    public void MetadataRefs_AreTheToolsNotWork(string reference, bool metadata) =>
        GitHistoryReader.IsMetadataRef(reference).Should().Be(metadata);

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task MetadataRefs_CommitsOnlyThereAreNotReadNorLinked(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, T0.AddDays(1));
        using var git = new GitShell();
        var work = git.Commit("init", T0, ("README.md", "hello\n"));
        // GitHub's test merge of a PR, fetched as refs/pull/1/merge, and a checkpoint commit with Entire's own trailer.
        var merge = git.Commit("Merge abc into def", T0.AddHours(1), ("README.md", "merged\n"));
        git.Run("update-ref", "refs/pull/1/merge", merge);
        git.Run("reset", "-q", "--hard", work);
        git.OrphanBranch("entire/checkpoints/v1", T0.AddHours(2), new Dictionary<string, byte[]> { ["a1/b2c3d4e5f6/metadata.json"] = Bytes("{}") });
        var checkpointTip = git.Run("rev-parse", "entire/checkpoints/v1");

        await engine.IngestAsync(Slug, git.Path);
        await engine.SessionAsync("s1", Slug, T0, T0.AddHours(3));
        await engine.BackfillAsync();

        await using var c = await engine.Database.Connections.OpenAsync(CancellationToken.None);
        (await c.QueryAsync<string>("SELECT sha FROM commits")).Should().Equal(work);
        (await c.ExecuteScalarAsync<long>("SELECT count(*) FROM commit_session_link WHERE commit_sha IN (@merge, @checkpointTip)", new { merge, checkpointTip })).Should().Be(0);
    }
}
