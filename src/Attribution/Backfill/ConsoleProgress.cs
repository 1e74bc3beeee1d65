using System.Globalization;

namespace Attribution.Backfill;

/// <summary>
/// A status line redrawn in place on a terminal; otherwise one plain line per page so redirected output
/// stays readable. Writes to stderr (stdout carries the summary).
/// </summary>
public sealed class ConsoleProgress(TextWriter writer, bool interactive, string label) : IBackfillProgress
{
    private int _lastPage;

    public void Report(int page, long number, BackfillStats stats)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{label}: page {page}, #{number}; PRs {stats.PullRequestsNew + stats.PullRequestsUpdated + stats.PullRequestsUnchanged}, commits {stats.Commits}, CI runs {stats.CiRunsNew + stats.CiRunsUpdated + stats.CiRunsUnchanged}, API calls {stats.ApiCalls}");
        if (interactive)
        {
            writer.Write("\r" + line.PadRight(Math.Max(line.Length, 100)));
        }
        else if (page != _lastPage)
        {
            writer.WriteLine(line);
        }

        _lastPage = page;
    }

    public void Complete()
    {
        if (interactive && _lastPage > 0)
        {
            writer.WriteLine();
        }
    }
}
