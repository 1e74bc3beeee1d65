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

    /// <summary>The incremental passes alone, on <c>bench.db</c> and <c>repo.git</c> in <paramref name="folder"/>.</summary>
    public static async Task<int> RunAsync(string folder, int lineBudget)
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
        // The first pass of this process reads every diff it scores with; the background pass of a running serve
        // keeps them from pass to pass (the later steps).
        foreach (var step in new[] { "+1 commit (first pass of the process)", "+1 commit (a later pass)", "+1 session (a later pass)", "+1 commit (a later pass)" })
        {
            if (step.StartsWith("+1 commit", StringComparison.Ordinal))
            {
                at = DateTimeOffset.UtcNow;
                (path, line) = AppendCommit(repoPath, at);
                sha = MainSha(repoPath);
            }
            else
            {
                await AddSessionAsync(connections, slug, $"s-new-{at.ToUnixTimeSeconds()}", path, line, sha, at);
            }

            var clock = Stopwatch.StartNew();
            var pass = await backfill.RunAsync(null, TimeSpan.FromDays(3650), null, CancellationToken.None);
            Console.WriteLine(FormattableString.Invariant(
                $"{step}: {clock.Elapsed.TotalSeconds:0.00} s (incremental {pass.Incremental}/{pass.Repositories}; link {pass.LinkElapsed.TotalSeconds:0.00} s, downstream {pass.DownstreamElapsed.TotalSeconds:0.00} s, line reading {pass.LineElapsed.TotalSeconds:0.00} s for {pass.LineTargetsRead} targets)"));
        }

        await connections.DisposeAsync();
        return 0;
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
