using Attribution.Linking.Outcomes;
using System.Globalization;

namespace Attribution.Reports;

/// <summary>The one-line summaries of the commit and session documents (pure, shared by every surface).</summary>
public static class AttributionSummaries
{
    /// <summary>
    /// <c>this commit came from session S (authored, agent: claude-code, model: claude-opus-4-6, $0.42)</c>;
    /// other linked sessions follow as "also linked"; without a session, what the commit itself says.
    /// </summary>
    public static string Commit(string? commitAgent, string? commitModel, IReadOnlyList<CommitSessionItem> sessions)
    {
        if (sessions.Count == 0)
        {
            if (commitAgent is null)
            {
                return "no linked session, and the commit carries no agent marker";
            }

            var model = commitModel is null ? "" : $", model: {commitModel}";
            return $"no linked session; the commit's agent marker says agent: {commitAgent}{model}";
        }

        var best = sessions[0];
        var text = $"this commit came from session {best.SessionId} ({Describe(best)})";
        if (sessions.Count > 1)
        {
            text += "; also linked: " + string.Join(", ", sessions.Skip(1).Select(s =>
                $"session {s.SessionId} ({s.LinkType}, confidence {Number(s.Confidence)})"));
        }

        return text;
    }

    private static string Describe(CommitSessionItem session)
    {
        var parts = new List<string> { session.LinkType };
        if (session.Confidence < 1.0)
        {
            parts.Add($"confidence {Number(session.Confidence)}");
        }

        parts.Add($"agent: {session.Agent ?? "unknown"}");
        if (session.Model is not null)
        {
            parts.Add($"model: {session.Model}");
        }

        parts.Add(session.CostUsd is { } cost ? Money(cost) : "cost unknown");
        return string.Join(", ", parts);
    }

    /// <summary>
    /// <c>this session produced commits 6289e2b, ...; merged in PR #42 (title); CI passed; touched 3 times
    /// since (1 revert); still good after 14 days</c>. With the session's <paramref name="outcome"/>, CI, touches and
    /// still good are the session's own figures (the same as <c>/api/yield</c>); without, those of its PRs.
    /// </summary>
    public static string Session(IReadOnlyList<SessionCommitItem> commits, IReadOnlyList<SessionPullRequestItem> pullRequests, SessionOutcomeItem? outcome = null)
    {
        var parts = new List<string>
        {
            commits.Count == 0
                ? "this session produced no linked commits"
                : "this session produced " + (commits.Count == 1 ? "commit " : "commits ") + string.Join(", ", commits.Select(c => ShaText.Short(c.Sha))),
        };

        if (pullRequests.Count == 0)
        {
            parts.Add("no PR known");
            if (outcome is null || commits.Count == 0)
            {
                return string.Join("; ", parts);
            }
        }
        else
        {
            parts.Add(string.Join(", ", pullRequests.Select(PrPhrase)));
        }

        var reverts = pullRequests.Sum(p => p.RevertCount);
        if (outcome is null)
        {
            parts.Add(OutcomePhrases.Ci(Common.CiStatus.Combine(pullRequests.Select(p => p.CiStatus))));
            parts.Add(OutcomePhrases.Touches(pullRequests.Sum(p => p.DownstreamTouchCount), reverts));
            return string.Join("; ", parts);
        }

        // The session's own figures (the same as /api/yield and its page): one CI roll-up, distinct touches, still good.
        parts.Add(OutcomePhrases.Ci(outcome.CiStatus));
        parts.Add(OutcomePhrases.Touches(Math.Max(outcome.DownstreamTouchCount, reverts), reverts));
        if (Yield.OutcomeClass.IsJudged(outcome.Outcome))
        {
            parts.Add(OutcomePhrases.StillGood(outcome.StillGood, outcome.StillGoodAfterDays));
        }
        return string.Join("; ", parts);
    }

    private static string PrPhrase(SessionPullRequestItem pr)
    {
        var title = string.IsNullOrWhiteSpace(pr.Title) ? "" : $" ({pr.Title})";
        return pr.State switch
        {
            "merged" => $"merged in PR #{pr.Number}{title}",
            "closed" => $"closed unmerged in PR #{pr.Number}{title}",
            _ => $"open in PR #{pr.Number}{title}",
        };
    }

    public static string Money(double usd) => "$" + usd.ToString("0.00", CultureInfo.InvariantCulture);

    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
