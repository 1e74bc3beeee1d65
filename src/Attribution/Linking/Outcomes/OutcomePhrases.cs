using System.Globalization;
using Attribution.Linking.Outcomes;

namespace Attribution.Linking.Outcomes;

/// <summary>The words every text surface (CLI, PR stage report, pages) uses for the verdicts, so they read the same everywhere.</summary>
public static class OutcomePhrases
{
    /// <summary>"CI passed", "CI failed", "CI pending", "CI cancelled", or "no CI runs known".</summary>
    public static string Ci(string? status) => status switch
    {
        null => "no CI runs known",
        "success" => "CI passed",
        "failure" => "CI failed",
        _ => "CI " + status,
    };

    /// <summary>"not touched since" or "touched 3 times since (1 revert)".</summary>
    public static string Touches(int touches, int reverts)
    {
        if (touches == 0 && reverts == 0)
        {
            return "not touched since";
        }

        var revertNote = reverts == 0 ? "" : reverts == 1 ? " (1 revert)" : $" ({reverts.ToString(CultureInfo.InvariantCulture)} reverts)";
        return $"touched {touches.ToString(CultureInfo.InvariantCulture)} {(touches == 1 ? "time" : "times")} since{revertNote}";
    }

    /// <summary>"still good after 14 days", "not still good after 14 days" or "too young to judge (14 days)".</summary>
    public static string StillGood(bool? stillGood, int days) => stillGood is null
        ? $"{Verdicts.Phrase(null)} ({days.ToString(CultureInfo.InvariantCulture)} days)"
        : $"{Verdicts.Phrase(stillGood)} after {days.ToString(CultureInfo.InvariantCulture)} days";

    /// <summary>The outcome line of a PR: CI, touches, still good.</summary>
    public static string PullRequest(PullRequestFigures figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        return $"{Ci(figures.CiStatus)}; {Touches(figures.TouchCount, figures.RevertCount)}; {StillGood(figures.StillGood, figures.StillGoodAfterDays)}";
    }
}
