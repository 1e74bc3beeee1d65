namespace Attribution.Linking;

/// <summary>
/// The <c>co-authored</c> rubric: the commit names the session's agent and was committed while the session
/// was active. One active session of that agent → 0.85 (0.9 when it also edited the commit's files). Several
/// → 0.6, or 0.8 for the only one of them that edited the commit's files; a session that did not edit them
/// while another candidate did gets no co-authored link (null): the other one is the better explanation.
/// </summary>
public static class CoAuthorScorer
{
    public static double? Score(int activeCandidates, bool editedCommitFiles, bool otherCandidateEdited)
    {
        if (activeCandidates <= 0)
        {
            return null;
        }

        if (activeCandidates == 1)
        {
            return editedCommitFiles ? 0.9 : 0.85;
        }

        if (editedCommitFiles)
        {
            return otherCandidateEdited ? 0.6 : 0.8;
        }

        return otherCandidateEdited ? null : 0.6;
    }
}
