namespace Attribution.Linking;

/// <summary>
/// The <c>co-authored</c> rubric: the commit names the session's agent and was written while the session was
/// active. An agent trailer says which agent, not which session: other sessions of the same agent often run
/// at once, and rebases happen while a session is active. So the trailer only strengthens evidence that ties
/// this session to this change (it edited the commit's files, or its own push sent the commit): the touch score <c>t</c> becomes
/// <c>1 − (1 − t)(1 − w)</c>, w = 0.5 when it is the only active session of that agent that edited them, 0.2
/// when another did too. Activity alone gives 0.3 (the only active session of that agent) or 0.15 (several),
/// and <see cref="ActivityOnlyCeiling"/> bounds it after calibration: never a link that counts.
/// A session that did not edit the files while another active one did gets nothing.
/// </summary>
public static class CoAuthorScorer
{
    public const double SoleEditorWeight = 0.5;
    public const double SharedEditorWeight = 0.2;
    /// <summary>The tie a push gives when the session did not edit the files: its <c>git push</c> sent this commit.</summary>
    public const double PushedTie = 0.5;

    public const double ActivityOnlySole = 0.3;
    public const double ActivityOnlyShared = 0.15;

    /// <summary>The highest confidence a co-authored link on activity alone may carry (below the default threshold 0.5).</summary>
    public const double ActivityOnlyCeiling = 0.45;

    /// <param name="activeCandidates">Active sessions of the commit's agent (this one included).</param>
    /// <param name="touch">What ties this session to the change: its touch confidence when it edited the commit's files, at least <see cref="PushedTie"/> when its push sent the commit; null when nothing does.</param>
    /// <param name="otherCandidateEdited">Whether another active session of that agent edited the commit's files.</param>
    public static double? Score(int activeCandidates, double? touch, bool otherCandidateEdited)
    {
        if (activeCandidates <= 0)
        {
            return null;
        }

        if (touch is { } t)
        {
            var weight = otherCandidateEdited ? SharedEditorWeight : SoleEditorWeight;
            return Math.Round(1 - ((1 - t) * (1 - weight)), 3);
        }

        if (otherCandidateEdited)
        {
            return null;
        }

        return activeCandidates == 1 ? ActivityOnlySole : ActivityOnlyShared;
    }
}
