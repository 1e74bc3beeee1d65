using System.Diagnostics;
using Attribution.Tests.Infrastructure;
using Attribution.Tests.Linking;
using Dapper;

namespace Attribution.Tests.Git;

public sealed class GitIngestTests
{
    private const string Slug = "acme/app";
    private static readonly DateTimeOffset T0 = TestRepository.T0;

    private sealed class FileRow
    {
        public string Path { get; set; } = "";
        public string Status { get; set; } = "";
        public string? OldPath { get; set; }
        public long AddedLines { get; set; }
        public long DeletedLines { get; set; }
    }

    private static async Task<List<FileRow>> FilesAsync(EngineHarness engine, string sha)
    {
        await using var c = await engine.Database.Connections.OpenAsync(CancellationToken.None);
        return (await c.QueryAsync<FileRow>("SELECT path AS Path, status AS Status, old_path AS OldPath, added_lines AS AddedLines, deleted_lines AS DeletedLines FROM commit_files WHERE sha = @sha ORDER BY path", new { sha })).AsList();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Ingest_CommitChangingFiles_RecordsStatusAndLineCounts(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, T0.AddDays(1));
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, new Dictionary<string, string?> { ["a.txt"] = "1\n2\n3\n", ["gone.txt"] = "bye\n", ["old/name.txt"] = "same content here\nline two\nline three\n" });
        repo.Commit("second", T0.AddHours(1), new Dictionary<string, string?> { ["old/name.txt"] = null, ["new/name.txt"] = "same content here\nline two\nline three\n" });
        var sha = repo.Commit("third", T0.AddHours(2), new Dictionary<string, string?> { ["a.txt"] = "1\nTWO\n3\n4\n", ["gone.txt"] = null, ["b.txt"] = "new\n" });

        var result = await engine.IngestAsync(Slug, repo);

        result.CommitsRead.Should().Be(3);
        var files = await FilesAsync(engine, sha);
        files.Select(f => (f.Path, f.Status, f.AddedLines, f.DeletedLines)).Should().Equal(
            ("a.txt", "modified", 2L, 1L), ("b.txt", "added", 1L, 0L), ("gone.txt", "deleted", 0L, 1L));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Ingest_RenamedFile_RecordedAsRenamedWithOldPath(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, T0.AddDays(1));
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "old/name.txt", "same content here\nline two\nline three\n");
        var sha = repo.Commit("move", T0.AddHours(1), new Dictionary<string, string?> { ["old/name.txt"] = null, ["new/name.txt"] = "same content here\nline two\nline three\n" });

        await engine.IngestAsync(Slug, repo);

        var files = await FilesAsync(engine, sha);
        files.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Path = "new/name.txt", Status = "renamed", OldPath = "old/name.txt" });
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Ingest_CommitWithClaudeTrailerAndRevert_StoresTrailersAgentAndRevertRelation(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, T0.AddDays(1));
        using var repo = TestRepository.Create();
        var first = repo.Commit("feat: thing\n\nBody text.\n\nCo-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>\n", T0, "a.txt", "1\n");
        var revert = repo.Commit($"Revert \"feat: thing\"\n\nThis reverts commit {first}.\n", T0.AddHours(1), "a.txt", "0\n");

        await engine.IngestAsync(Slug, repo);

        (await engine.ScalarAsync<string>("SELECT agent FROM commits WHERE sha = @first", new { first })).Should().Be("claude-code");
        (await engine.ScalarAsync<string>("SELECT agent_model FROM commits WHERE sha = @first", new { first })).Should().Be("claude-opus-4-6");
        (await engine.ScalarAsync<string>("SELECT trailers_json FROM commits WHERE sha = @first", new { first })).Should().Contain("Co-Authored-By");
        (await engine.ScalarAsync<string>("SELECT reverts_sha FROM commits WHERE sha = @revert", new { revert })).Should().Be(first);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Ingest_SecondRunWithoutChanges_ReadsNothing(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, T0.AddDays(1));
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "a.txt", "1\n");
        repo.Commit("two", T0.AddHours(1), "a.txt", "2\n");
        await engine.IngestAsync(Slug, repo);

        var second = await engine.IngestAsync(Slug, repo);

        second.CommitsRead.Should().Be(0);
        second.RefsChanged.Should().BeFalse();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Ingest_NewCommitAfterFirstRun_ReadsOnlyTheNewCommit(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, T0.AddDays(1));
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "a.txt", "1\n");
        repo.Commit("two", T0.AddHours(1), "a.txt", "2\n");
        await engine.IngestAsync(Slug, repo);
        repo.Branch("feat/new");
        var added = repo.Commit("three", T0.AddHours(2), "b.txt", "3\n");

        var second = await engine.IngestAsync(Slug, repo);

        second.CommitsRead.Should().Be(1);
        (await engine.ScalarAsync<long>("SELECT count(*) FROM commits")).Should().Be(3);
        (await engine.ScalarAsync<string>("SELECT ref FROM commit_refs WHERE sha = @added", new { added })).Should().Be("feat/new");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Ingest_ShallowClone_SkipsMissingHistoryWithoutFailing(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, T0.AddDays(1));
        using var repo = TestRepository.Create();
        repo.Commit("one", T0, "a.txt", "1\n");
        repo.Commit("two", T0.AddHours(1), "a.txt", "2\n");
        var tip = repo.Commit("three", T0.AddHours(2), "a.txt", "3\n");
        var shallow = Path.Combine(Path.GetTempPath(), "attribution-git-tests", Guid.NewGuid().ToString("N"));
        RunGit($"clone --quiet --depth 1 file://{repo.Path} {shallow}");

        var result = await engine.GitIngest.RegisterAndIngestAsync(Slug, shallow, null, null, CancellationToken.None);

        result.CommitsRead.Should().Be(1);
        (await engine.ScalarAsync<string>("SELECT sha FROM commits")).Should().Be(tip);
    }

    [Fact]
    public void IsRepository_PlainFolder_False()
    {
        var dir = Directory.CreateTempSubdirectory("attribution-notgit").FullName;

        Attribution.Git.GitHistoryReader.IsRepository(dir).Should().BeFalse();
        Attribution.Git.GitHistoryReader.IsRepository(Path.Combine(dir, "missing")).Should().BeFalse();
    }

    private static void RunGit(string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("git", arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        process.WaitForExit();
        process.ExitCode.Should().Be(0, process.StandardError.ReadToEnd());
    }
}
