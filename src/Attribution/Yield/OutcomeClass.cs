namespace Attribution.Yield;

/// <summary>
/// What became of a session's work, decided in this order (first match wins):
/// <list type="number">
/// <item><c>no-repo</c>: the session has no repository.</item>
/// <item><c>reverted</c>: a linked PR was reverted, or a linked commit was reverted (a revert touch or a commit saying it reverts it).</item>
/// <item><c>merged</c>: a linked PR is merged (and, by rule 2, not reverted).</item>
/// <item><c>in-review</c>: a linked PR is open.</item>
/// <item><c>committed</c>: commits linked with confidence ≥ the threshold (0.5) but no PR at all.</item>
/// <item><c>abandoned</c>: everything else with a repository: no linked commits, or only closed-unmerged PRs.</item>
/// </list>
/// </summary>
public static class OutcomeClass
{
    public const string Merged = "merged";
    public const string InReview = "in-review";
    public const string Committed = "committed";
    public const string Reverted = "reverted";
    public const string Abandoned = "abandoned";
    public const string NoRepo = "no-repo";

    /// <summary>Display order (best to worst, then no repository).</summary>
    public static IReadOnlyList<string> All { get; } = [Merged, InReview, Committed, Reverted, Abandoned, NoRepo];

    public static string Classify(bool hasRepo, int linkedCommits, int mergedPrs, int openPrs, int closedPrs, bool anyReverted)
    {
        if (!hasRepo)
        {
            return NoRepo;
        }

        if (anyReverted)
        {
            return Reverted;
        }

        if (mergedPrs > 0)
        {
            return Merged;
        }

        if (openPrs > 0)
        {
            return InReview;
        }

        return linkedCommits > 0 && closedPrs == 0 ? Committed : Abandoned;
    }

    /// <summary>True for classes where the session produced work (the revert-rate denominator).</summary>
    public static bool ProducedWork(string outcome) => outcome is Merged or InReview or Committed or Reverted;

    /// <summary>True for classes whose work gets a still-good verdict: it produced work that is no longer in review.</summary>
    public static bool IsJudged(string outcome) => ProducedWork(outcome) && outcome != InReview;
}
