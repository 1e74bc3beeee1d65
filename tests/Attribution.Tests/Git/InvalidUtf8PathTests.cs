using System.Diagnostics;
using System.Text;
using Attribution.Git;
using Attribution.Hosting;
using Attribution.Tests.Infrastructure;
using Attribution.Tests.Linking;
using Dapper;
using Attribution.Common;

namespace Attribution.Tests.Git;

/// <summary>
/// Two paths of one commit that differ only in bytes that are not UTF-8 (<c>a\xff.txt</c>, <c>a\xfe.txt</c>) both decode to
/// <c>a\uFFFD.txt</c>: the scan keeps them apart (bytes written as git quotes them, <c>a\377.txt</c>), and a repository
/// holding such a commit never stops another repository's attribution pass.
/// </summary>
public sealed class InvalidUtf8PathTests
{
    private static readonly DateTimeOffset T0 = TestRepository.T0;

    [Theory]
    [InlineData(new byte[] { (byte)'a', 0xff, (byte)'.', (byte)'t', (byte)'x', (byte)'t' }, "a\\377.txt")]
    [InlineData(new byte[] { 0xc3, 0xa9, (byte)'/', 0xe2, 0x82 }, "é/\\342\\202")]
    [InlineData(new byte[] { (byte)'p', (byte)'l', (byte)'a', (byte)'i', (byte)'n' }, "plain")]
    public void Decode_ValidUtf8AsItself_InvalidBytesAsOctalEscapes(byte[] bytes, string expected) =>
        GitPathText.Decode(bytes).Should().Be(expected);

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task IngestGit_CollidingUndecodablePaths_SucceedsAndKeepsBoth(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var repo = CollidingRepository.Create();

        var exit = await AttributionCli.RunAsync([.. database.Settings.Select(s => $"--{s.Key}={s.Value}"), "ingest", "git", "--path", repo.Path, "--repo", "acme/bad"]);

        exit.Should().Be(ExitCodes.Success);
        await using var c = await database.Connections.OpenAsync(CancellationToken.None);
        var root = await c.QueryAsync<string>("SELECT path FROM commit_files WHERE sha = @sha ORDER BY path", new { sha = repo.RootSha });
        root.Should().Equal("a\\376.txt", "a\\377.txt", "ok.txt");
        var second = (await c.QueryAsync<(string Path, string Status, long Added)>(
            "SELECT path, status, added_lines FROM commit_files WHERE sha = @sha", new { sha = repo.SecondSha })).ToList();
        second.Should().Equal([("a\\377.txt", "modified", 2L)]);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Backfill_RepositoryWithCollidingPaths_IsScannedAndACleanRepositoryStillGetsItsLinks(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, T0.AddDays(60));
        using var bad = CollidingRepository.Create();
        await engine.Repositories.RegisterAsync("acme/bad", "github", bad.Path, "main", CancellationToken.None);
        using var clean = TestRepository.Create();
        clean.Commit("init", T0, "README.md", "hello\n");
        var sha = clean.Commit("feat: add thing", T0.AddHours(1), "src/thing.py", "print('thing')\n");
        await engine.Repositories.RegisterAsync("acme/clean", "github", clean.Path, "main", CancellationToken.None);
        await engine.SessionAsync("s1", "acme/clean", T0.AddMinutes(30), T0.AddHours(2));
        await engine.EventAsync("s1", "commit", T0.AddHours(1).AddSeconds(2), sha: sha[..7], command: "git commit -m 'feat: add thing'", output: $"[main {sha[..7]}] feat: add thing");
        await engine.SessionAsync("s2", "acme/bad", T0.AddMinutes(30), T0.AddHours(2));
        await engine.EventAsync("s2", "commit", T0.AddHours(1), sha: bad.SecondSha[..7], command: "git commit -am x", output: $"[main {bad.SecondSha[..7]}] x");

        await engine.BackfillAsync();

        (await engine.LinkAsync("acme/clean", sha, "s1"))!.LinkType.Should().Be("authored");
        (await engine.LinkAsync("acme/bad", bad.SecondSha, "s2"))!.LinkType.Should().Be("authored");
        (await engine.ScalarAsync<long>("SELECT count(*) FROM commit_files WHERE repo_slug = 'acme/bad'")).Should().Be(4);
    }

    /// <summary>A repository made with git plumbing (no work tree can hold these names on every system).</summary>
    private sealed class CollidingRepository : IDisposable
    {
        private CollidingRepository(string path) => Path = path;

        public string Path { get; }

        public string RootSha { get; private set; } = "";

        public string SecondSha { get; private set; } = "";

        public static CollidingRepository Create()
        {
            var repo = new CollidingRepository(Directory.CreateTempSubdirectory("attribution-utf8").FullName);
            repo.Git(null, "init", "-q", "-b", "main");
            var one = repo.Git("one\n"u8.ToArray(), "hash-object", "-w", "--stdin");
            var two = repo.Git("two\n"u8.ToArray(), "hash-object", "-w", "--stdin");
            var three = repo.Git("one\nmore\nlines\n"u8.ToArray(), "hash-object", "-w", "--stdin");
            var rootTree = repo.MakeTree((one, "a\xff.txt"), (two, "a\xfe.txt"), (two, "ok.txt"));
            repo.RootSha = repo.Git(Encoding.UTF8.GetBytes("root with undecodable names\n"), "commit-tree", rootTree);
            var secondTree = repo.MakeTree((three, "a\xff.txt"), (two, "a\xfe.txt"), (two, "ok.txt"));
            repo.SecondSha = repo.Git(Encoding.UTF8.GetBytes("change one of them\n"), "commit-tree", secondTree, "-p", repo.RootSha);
            repo.Git(null, "update-ref", "refs/heads/main", repo.SecondSha);
            return repo;
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // Temp folder; the OS cleans it.
            }
        }

        /// <summary><c>git mktree</c> from entries whose names are given as Latin-1 text, so each char is one byte.</summary>
        private string MakeTree(params (string Blob, string Name)[] entries)
        {
            var input = new MemoryStream();
            foreach (var (blob, name) in entries)
            {
                input.Write(Encoding.ASCII.GetBytes($"100644 blob {blob}\t"));
                input.Write(Encoding.Latin1.GetBytes(name));
                input.WriteByte((byte)'\n');
            }

            return Git(input.ToArray(), "mktree");
        }

        private string Git(byte[]? stdin, params string[] args)
        {
            var start = new ProcessStartInfo("git") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("-C");
            start.ArgumentList.Add(Path);
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            foreach (var (key, value) in new[] { ("GIT_AUTHOR_NAME", "Dev"), ("GIT_AUTHOR_EMAIL", "dev@example.com"), ("GIT_COMMITTER_NAME", "Dev"), ("GIT_COMMITTER_EMAIL", "dev@example.com") })
            {
                start.Environment[key] = value;
            }

            start.Environment["GIT_AUTHOR_DATE"] = start.Environment["GIT_COMMITTER_DATE"] = T0.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
            using var git = Process.Start(start)!;
            if (stdin is not null)
            {
                git.StandardInput.BaseStream.Write(stdin);
            }

            git.StandardInput.Close();
            var output = git.StandardOutput.ReadToEnd();
            var error = git.StandardError.ReadToEnd();
            git.WaitForExit();
            git.ExitCode.Should().Be(0, error);
            return output.Trim();
        }
    }
}
