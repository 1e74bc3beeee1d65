using Attribution.Store;
using Dapper;

namespace EngineBench;

/// <summary>
/// Synthetic sessions following the linking priors: 60 % of commits have a true session; the delay from its last
/// edit to the commit is log-normal (median 8 min, 75 % within 1.6 h, 90 % within 16 h); 10 % of true pairs have
/// no edit; 92 % of edits carry text found in the diff; 11 % have the session's own commit output; for 40 % of
/// commits another session edited one of the same files in the 72 h before, with unrelated text.
/// </summary>
internal static class Sessions
{
    public static async Task<HashSet<(string Sha, string Session)>> SeedAsync(
        IDbConnectionFactory connections, History plan, IReadOnlyDictionary<int, string> shaOfMark, int sessionCount, string slug, Random rng)
    {
        var truth = new HashSet<(string, string)>();
        var events = new List<object>();
        var spans = new Dictionary<string, (DateTimeOffset Start, DateTimeOffset End)>();
        var key = 0;

        void Add(string session, string kind, DateTimeOffset ts, string? path = null, string? text = null, string? sha = null, string? output = null)
        {
            events.Add(new { session, key = $"k{key++}", kind, ts, path, text, sha, output });
            spans[session] = spans.TryGetValue(session, out var w) ? (ts < w.Start ? ts : w.Start, ts > w.End ? ts : w.End) : (ts, ts);
        }

        var commits = plan.Commits.Skip(1).ToList();
        for (var i = 0; i < commits.Count; i++)
        {
            var commit = commits[i];
            var sha = shaOfMark[commit.Mark];
            var files = commit.AddedLine.Keys.ToList();
            if (rng.NextDouble() < 0.6)
            {
                var session = $"s{i * sessionCount / commits.Count}";
                truth.Add((sha, session));
                if (rng.NextDouble() >= 0.10)
                {
                    var delay = Math.Min(Math.Exp(2.08 + (3.73 * Gaussian(rng))), 30 * 24 * 60);
                    var editTs = commit.Ts.AddMinutes(-delay);
                    foreach (var path in files)
                    {
                        var text = rng.NextDouble() < 0.92 ? commit.AddedLine[path] : $"reformatted_{rng.Next()} = later(value)";
                        Add(session, "edit", editTs, path, text);
                    }
                }
                else
                {
                    Add(session, "command", commit.Ts.AddMinutes(-rng.Next(1, 120)));
                }

                if (rng.NextDouble() < 0.11)
                {
                    Add(session, "commit", commit.Ts.AddSeconds(1), sha: sha[..7], output: $"[main {sha[..7]}] change");
                }
            }

            if (rng.NextDouble() < 0.4)
            {
                // Another session working nearby in time (a neighbour in the session order), as real sessions last hours, not the year.
                var noise = $"s{Math.Clamp((i * sessionCount / commits.Count) + rng.Next(-3, 4), 0, sessionCount - 1)}";
                if (!truth.Contains((sha, noise)))
                {
                    Add(noise, "edit", commit.Ts.AddMinutes(-rng.Next(1, 72 * 60)), files[rng.Next(files.Count)], $"unrelated_{rng.Next()} = other_work(x)");
                }
            }
        }

        await using var unit = await connections.BeginAsync(CancellationToken.None);
        foreach (var (session, (start, end)) in spans)
        {
            await unit.Connection.ExecuteAsync(
                "INSERT INTO sessions (session_id, agent, started_ts, ended_ts, repo_slug, updated_ts) VALUES (@session, 'claude-code', @start, @end, @slug, @end)",
                new { session, start = start.AddMinutes(-1), end, slug }, unit.Transaction);
        }

        await unit.Connection.ExecuteAsync(
            "INSERT INTO session_events (session_id, record_key, kind, ts, path, added_text, sha, output_excerpt) VALUES (@session, @key, @kind, @ts, @path, @text, @sha, @output)",
            events, unit.Transaction);
        await unit.CommitAsync(CancellationToken.None);
        Console.WriteLine($"seeded {spans.Count} sessions, {events.Count} events, {truth.Count} true pairs");
        return truth;
    }

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
