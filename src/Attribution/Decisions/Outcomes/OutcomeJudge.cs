using System.Globalization;
using Attribution.Store;

namespace Attribution.Decisions.Outcomes;

/// <summary>A fix or revert that touched the decision's file; <see cref="LineMatch"/>: true/false when blame could place it on the decision's line, null when not.</summary>
public sealed record TouchFact(string Sha, string? Subject, string Kind, DateTimeOffset? TouchedTs, bool? LineMatch);

/// <summary>Everything known about one decision's fate.</summary>
public sealed record DecisionFacts(
    DecisionRecord Decision, PullRequestRow? Pr, IReadOnlyList<TouchFact> Touches, IReadOnlyList<BugReportRecord> Bugs);

/// <summary>A verdict: <c>stable</c>, <c>bug-linked</c> (with an outcome) or <c>pending</c> (none yet), always with its reason.</summary>
public sealed record Verdict(string Kind, string? Outcome, string Reason, string? BugId = null)
{
    public const string Stable = "stable";
    public const string BugLinked = "bug-linked";
    public const string Pending = "pending";
}

/// <summary>
/// Judges a decision from what happened to its code, pure. A bug reported on its file:line, a revert of
/// its PR or commits, or a fix touching its file (its line, when blame placed it) → bug-linked: failure,
/// except for code-review findings, where the bug proves the finding right (success). Otherwise a merged
/// PR at least <c>stabilityDays</c> old → stable: success. Anything else stays pending, with the reason.
/// </summary>
public static class OutcomeJudge
{
    public static Verdict Judge(DecisionFacts facts, DateTimeOffset now, int stabilityDays)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var d = facts.Decision;
        var where = d.FilePath is null ? "its code" : d.Line is { } l ? $"{d.FilePath}:{l}" : d.FilePath;
        var badOutcome = string.Equals(d.Category, "code-review", StringComparison.OrdinalIgnoreCase) ? "success" : "failure";
        var badSuffix = badOutcome == "success" ? " (the review finding was right)" : "";

        if (facts.Bugs.Count > 0)
        {
            var bug = facts.Bugs[0];
            var introduced = bug.IntroducingSha is null ? "" : $", introduced by {Short(bug.IntroducingSha)}";
            return new Verdict(Verdict.BugLinked, badOutcome,
                $"bug {bug.Id} reported on {bug.FilePath}:{bug.Line}{introduced}{badSuffix}", bug.Id);
        }

        var pr = facts.Pr;
        if (pr?.RevertedAt is { } reverted)
        {
            return new Verdict(Verdict.BugLinked, badOutcome, $"PR #{pr.PrNumber} was reverted on {Day(reverted)}{badSuffix}");
        }

        var hit = facts.Touches.FirstOrDefault(t => t.Kind == TouchClassifier.Revert)
                  ?? facts.Touches.FirstOrDefault(t => t.Kind == TouchClassifier.Fix && t.LineMatch != false);
        if (hit is not null)
        {
            var placed = hit.LineMatch == true ? "" : " (file level: blame could not place the change on the line)";
            var when = hit.TouchedTs is { } ts ? $" on {Day(ts)}" : "";
            return new Verdict(Verdict.BugLinked, badOutcome,
                $"{hit.Kind} commit {Short(hit.Sha)} \"{Truncate(hit.Subject)}\" touched {where}{when}{placed}{badSuffix}");
        }

        if (pr is null)
        {
            return new Verdict(Verdict.Pending, null,
                d.PrNumber is null && d.CommitSha is null
                    ? "no PR or commit recorded on the decision"
                    : "no known PR holds the decision's PR number or commit (pr_outcomes, pr_commits)");
        }

        if (pr.State != "merged" || pr.MergedAt is null)
        {
            return new Verdict(Verdict.Pending, null, pr.State == "closed" ? $"PR #{pr.PrNumber} was closed without merging" : $"PR #{pr.PrNumber} is not merged yet");
        }

        var age = now - pr.MergedAt.Value;
        if (age < TimeSpan.FromDays(stabilityDays))
        {
            return new Verdict(Verdict.Pending, null,
                $"PR #{pr.PrNumber} merged {Day(pr.MergedAt.Value)}, {Math.Floor(age.TotalDays).ToString(CultureInfo.InvariantCulture)} of {stabilityDays} days; stable on {Day(pr.MergedAt.Value.AddDays(stabilityDays))} if nothing breaks");
        }

        var ignored = facts.Touches.Count(t => t.Kind == TouchClassifier.Fix && t.LineMatch == false);
        var note = ignored > 0 ? $"; {ignored} fix commit(s) on the file changed other lines" : "";
        return new Verdict(Verdict.Stable, "success",
            $"PR #{pr.PrNumber} stable for {stabilityDays} days, no bugs reported: merged {Day(pr.MergedAt.Value)}, no fix or revert touched {where} since{note}");
    }

    private static string Day(DateTimeOffset ts) => ts.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;

    private static string Truncate(string? text) => text is null ? "" : text.Length <= 80 ? text : text[..80] + "…";
}
