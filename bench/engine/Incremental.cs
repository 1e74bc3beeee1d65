using System.Diagnostics;
using System.Globalization;
using System.Text;
using Attribution.Common;
using Attribution.Git;
using Attribution.Hosting;
using Attribution.Ingest;
using Attribution.Linking;
using Attribution.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Dapper;

namespace EngineBench;

/// <summary>
/// What the incremental pass is measured on: one new commit on main and one new session, written the way ingest writes
/// them, and a digest of everything a pass writes (links, PR links, touches, line outcomes, PR counters) to compare an
/// incremental pass with a full one.
/// </summary>
internal static class Incremental
{
    /// <summary>Appends one commit to <c>main</c> at <paramref name="ts"/>: one added line in the file the newest commit changed.</summary>
    public static (string Path, string Line) AppendCommit(string repoPath, DateTimeOffset ts)
    {
        var path = Git(repoPath, "diff-tree --no-commit-id --name-only -r refs/heads/main").Split('\n', StringSplitOptions.RemoveEmptyEntries)[0];
        var content = Git(repoPath, $"cat-file -p refs/heads/main:{path}");
        var line = $"incremental_{ts.ToUnixTimeSeconds()} = compute_new(items, 1)";
        var unix = ts.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var body = content + line + "\n";
        var s = new StringBuilder();
        s.Append("commit refs/heads/main\n");
        s.Append("author Dev <dev@example.com> ").Append(unix).Append(" +0000\n");
        s.Append("committer Dev <dev@example.com> ").Append(unix).Append(" +0000\n");
        s.Append("data 17\nOne more change.\n\n");
        s.Append("from refs/heads/main^0\n");
        s.Append("M 100644 inline ").Append(path).Append('\n');
        s.Append("data ").Append(Encoding.UTF8.GetByteCount(body)).Append('\n').Append(body).Append('\n');
        Git(repoPath, "fast-import --quiet", s.ToString());
        return (path, line);
    }

    /// <summary>
    /// The incremental passes alone, on a copy of <c>bench.db</c> and <c>repo.git</c> in <paramref name="folder"/>: the
    /// folder is left as it was, so every run measures the same history (runs on the folder itself piled their new
    /// commits and sessions onto one file, run after run, and each run's figures grew with them).
    /// </summary>
    /// <remarks>
    /// <paramref name="inPlace"/> runs on the folder itself instead: to prepare a folder whose files the later runs find
    /// with their line facts read (the first pass over a file's old work reads them afresh, minutes on this history).
    /// </remarks>
    public static async Task<int> RunAsync(string folder, int lineBudget, bool inPlace)
    {
        // The kept folder's last pass may have covered another period (a full run ends with `--since 30d`): one pass over
        // the increments' period first, without line facts, on the folder itself (once; later runs find it done and skip it).
        await PassesAsync(folder, lineBudget: 0, steps: ["settle the kept folder (a pass over the increments' period, no line facts)"]);
        if (inPlace)
        {
            await PassesAsync(folder, lineBudget, Steps);
            return 0;
        }

        var scratch = Path.Combine(Path.GetTempPath(), $"engine-bench-increment-{Environment.ProcessId}");
        Console.WriteLine($"copying {folder} to {scratch}");
        try
        {
            CopyTree(Path.Combine(folder, "repo.git"), Path.Combine(scratch, "repo.git"));
            foreach (var name in new[] { "bench.db", "bench.db-wal" }.Where(n => File.Exists(Path.Combine(folder, n))))
            {
                File.Copy(Path.Combine(folder, name), Path.Combine(scratch, name));
            }

            // The copy written out before anything is timed (its writeback otherwise runs during the passes).
            if (!OperatingSystem.IsWindows())
            {
                using var sync = Process.Start("sync");
                sync?.WaitForExit();
            }

            // The copy's repository is the copied clone.
            await using (var copy = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(scratch, "bench.db")}"))
            {
                await copy.ExecuteAsync("UPDATE repositories SET clone_path = @Clone", new { Clone = Path.Combine(scratch, "repo.git") });
            }

            await PassesAsync(scratch, lineBudget, Steps);
            return 0;
        }
        finally
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var folder in Directory.EnumerateDirectories(from))
        {
            CopyTree(folder, Path.Combine(to, Path.GetFileName(folder)));
        }
    }

    /// <summary>
    /// What the increments add, one pass after each. The first pass of a process also reads the diffs a running serve
    /// keeps; a few more passes let the runtime compile the pass's hot code fully (tiered compilation), as a serve's
    /// background pass has after its first minutes: the last three are the steady state.
    /// </summary>
    private static readonly string[] Steps =
    [
        "+1 commit (first pass of the process)", "+1 commit (warm-up)", "+1 session (warm-up)", "+1 commit (warm-up)",
        "+1 commit (a later pass)", "+1 session (a later pass)", "+1 commit (a later pass)",
    ];

    /// <summary>One attribution pass per step over <paramref name="folder"/>, after the step's addition (a commit on
    /// main for "+1 commit", a session for "+1 session", nothing otherwise).</summary>
    private static async Task PassesAsync(string folder, int lineBudget, IReadOnlyList<string> steps)
    {
        DapperSetup.Configure();
        var repoPath = Path.Combine(folder, "repo.git");
        var connections = new DbConnectionFactory(new DatabaseOptions { Provider = "sqlite", Connection = Path.Combine(folder, "bench.db") });
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Debug));
        var time = TimeProvider.System;
        var repositories = new RepositoryStore(connections, time);
        var reader = new GitHistoryReader(NullLogger<GitHistoryReader>.Instance);
        var ingest = new GitIngestService(reader, new CommitStore(connections, time), repositories, new CursorStore(connections, time), new ChangeSignal(), NullLogger<GitIngestService>.Instance);
        var backfill = new AttributionBackfill(ingest, reader, repositories, new LinkingInputStore(connections), new CursorStore(connections, time), new LinkStore(connections, time),
            new DownstreamStore(connections), new NoAgentsAttributionVerifier(), Microsoft.Extensions.Options.Options.Create(new LinkingOptions { LineBudgetSeconds = lineBudget }), time,
            loggers.CreateLogger<AttributionBackfill>());
        var slug = (await repositories.ListAsync(CancellationToken.None)).Single().Slug;
        var at = DateTimeOffset.UtcNow;
        var (path, line, sha) = ("", "", "");
        foreach (var step in steps)
        {
            if (step.StartsWith("+1 commit", StringComparison.Ordinal))
            {
                at = DateTimeOffset.UtcNow;
                (path, line) = AppendCommit(repoPath, at);
                sha = MainSha(repoPath);
            }
            else if (step.StartsWith("+1 session", StringComparison.Ordinal))
            {
                await AddSessionAsync(connections, slug, $"s-new-{at.ToUnixTimeSeconds()}", path, line, sha, at);
            }

            var clock = Stopwatch.StartNew();
            var pass = await backfill.RunAsync(null, TimeSpan.FromDays(3650), null, CancellationToken.None);
            Console.WriteLine(FormattableString.Invariant(
                $"{step}: {clock.Elapsed.TotalSeconds:0.00} s (incremental {pass.Incremental}/{pass.Repositories}, unchanged {pass.Unchanged}; link {pass.LinkElapsed.TotalSeconds:0.00} s, downstream {pass.DownstreamElapsed.TotalSeconds:0.00} s, line reading {pass.LineElapsed.TotalSeconds:0.00} s for {pass.LineTargetsRead} targets)"));
        }

        await connections.DisposeAsync();
    }

    public static string MainSha(string repoPath) => Git(repoPath, "rev-parse refs/heads/main").Trim();

    /// <summary>A new session that edited <paramref name="path"/> with <paramref name="line"/> and committed it (its commit output names the sha).</summary>
    public static async Task AddSessionAsync(IDbConnectionFactory connections, string slug, string id, string path, string line, string sha, DateTimeOffset ts)
    {
        await using var unit = await connections.BeginAsync(CancellationToken.None);
        await unit.Connection.ExecuteAsync(
            "INSERT INTO sessions (session_id, agent, started_ts, ended_ts, repo_slug, updated_ts) VALUES (@id, 'claude-code', @start, @end, @slug, @now)",
            new { id, start = ts.AddMinutes(-20), end = ts.AddMinutes(2), slug, now = DateTimeOffset.UtcNow }, unit.Transaction);
        await unit.Connection.ExecuteAsync(
            "INSERT INTO session_events (session_id, record_key, kind, ts, path, added_text, sha, output_excerpt) VALUES (@id, @key, @kind, @ts, @path, @text, @sha, @output)",
            new[]
            {
                new { id, key = id + "-1", kind = "edit", ts = ts.AddMinutes(-5), path = (string?)path, text = (string?)line, sha = (string?)null, output = (string?)null },
                new { id, key = id + "-2", kind = "commit", ts = ts.AddSeconds(1), path = (string?)null, text = (string?)null, sha = (string?)sha[..7], output = (string?)$"[main {sha[..7]}] One more change." },
            }, unit.Transaction);
        await unit.CommitAsync(CancellationToken.None);
    }

    /// <summary>A digest of every row an attribution pass writes (<see cref="PassRows"/>).</summary>
    public static Task<string> PassRowsAsync(IDbConnectionFactory connections) => PassRows.DigestAsync(connections, CancellationToken.None);

    private static string Git(string repoPath, string arguments, string? input = null)
    {
        var info = new ProcessStartInfo("git", $"-C {repoPath} {arguments}") { RedirectStandardOutput = true, RedirectStandardInput = input is not null, UseShellExecute = false };
        using var process = Process.Start(info)!;
        if (input is not null)
        {
            process.StandardInput.NewLine = "\n";
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"git {arguments} exited {process.ExitCode}");
    }
}
