using System.Globalization;
using System.Text;

namespace EngineBench;

/// <summary>A planned commit: its fast-import mark, time, files and the distinctive line it added to each file.</summary>
internal sealed record PlannedCommit(int Mark, DateTimeOffset Ts, IReadOnlyDictionary<string, string> AddedLine);

/// <summary>Synthetic history as a <c>git fast-import</c> stream: mostly main, with short feature branches left unmerged.</summary>
internal sealed class History
{
    public List<PlannedCommit> Commits { get; } = [];

    /// <summary>Writes the stream to <paramref name="output"/> as it goes (the stream is never held in memory).</summary>
    public static History Generate(int commitCount, int fileCount, DateTimeOffset from, DateTimeOffset to, Random rng, TextWriter output)
    {
        var history = new History();
        var contents = new List<string>[fileCount];
        var paths = Enumerable.Range(0, fileCount).Select(i => $"src/m{i % 40:00}/file{i:0000}.py").ToArray();
        var step = (to - from).TotalSeconds / commitCount;
        var mainTip = 0;
        for (var i = 1; i <= commitCount; i++)
        {
            var ts = from.AddSeconds(step * i);
            var onBranch = i % 50 >= 47;
            var branch = onBranch ? $"refs/heads/feat/b{i / 50}" : "refs/heads/main";
            var changed = new Dictionary<string, string>();
            var n = i == 1 ? Math.Min(fileCount, 200) : 1 + rng.Next(4);
            for (var k = 0; k < n; k++)
            {
                // Skewed choice: a few files are hot, most are touched rarely.
                var f = i == 1 ? k : (int)(Math.Pow(rng.NextDouble(), 2) * fileCount);
                var lines = contents[f] ??= Enumerable.Range(0, 20).Select(l => $"line_{f}_{l} = {l}").ToList();
                var added = $"value_{i}_{k} = compute_{f}(items, {rng.Next(100000)})";
                lines[rng.Next(lines.Count)] = $"changed_{i}_{k} = {k}";
                lines.Add(added);
                changed[paths[f]] = added;
            }

            var message = i % 97 == 0 ? $"Fix regression in module {i % 40}" : $"Change {i}";
            var unix = ts.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            var s = new StringBuilder();
            s.Append("commit ").Append(branch).Append('\n');
            s.Append("mark :").Append(i).Append('\n');
            s.Append("author Dev <dev@example.com> ").Append(unix).Append(" +0000\n");
            s.Append("committer Dev <dev@example.com> ").Append(unix).Append(" +0000\n");
            AppendData(s, message);
            if (onBranch && i % 50 == 47 && mainTip > 0)
            {
                s.Append("from :").Append(mainTip).Append('\n');
            }

            foreach (var path in changed.Keys)
            {
                var f = Array.IndexOf(paths, path);
                s.Append("M 100644 inline ").Append(path).Append('\n');
                AppendData(s, string.Join('\n', contents[f]) + "\n");
            }

            s.Append('\n');
            output.Write(s);
            if (!onBranch)
            {
                mainTip = i;
            }

            history.Commits.Add(new PlannedCommit(i, ts, changed));
        }

        return history;
    }

    private static void AppendData(StringBuilder s, string text)
    {
        var bytes = Encoding.UTF8.GetByteCount(text);
        s.Append("data ").Append(bytes).Append('\n').Append(text).Append('\n');
    }
}
