namespace Attribution.Linking;

/// <summary>
/// What file overlap says about one (commit, session) pair.
/// </summary>
/// <param name="Delay">From the session's last edit of the shared files to the commit.</param>
/// <param name="InterveningCommits">Other commits that touched those files between that edit and this commit (0 = first touch).</param>
/// <param name="TextRatio">Share of the session's written lines found in the commit's added lines; null when unknown.</param>
/// <param name="SharedFiles">Commit files the session edited.</param>
/// <param name="CommitFiles">Files the commit touches.</param>
/// <param name="TextHits">Distinct significant session lines found among the commit's added lines.</param>
public sealed record TouchEvidence(TimeSpan Delay, int InterveningCommits, double? TextRatio, int SharedFiles, int CommitFiles, int TextHits = 0)
{
    /// <summary>The session's text is clearly in the diff: two or more of its lines, or most of them.</summary>
    public bool TextFound => TextRatio is not null && (TextHits >= 2 || TextRatio >= TouchScorer.TextFullRatio);

    public bool FirstTouch => InterveningCommits == 0;

    public double Share => CommitFiles == 0 ? 0 : Math.Clamp((double)SharedFiles / CommitFiles, 0, 1);
}
