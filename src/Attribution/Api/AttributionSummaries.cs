using System.Globalization;

namespace Attribution.Api;

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
    /// since (1 revert)</c>. Touches are those of the session's PRs; CI is <see cref="Common.CiStatus.OfSession"/> over
    /// the PRs' CI and <paramref name="linkedCommitsCi"/> (its linked commits' CI combined).
    /// </summary>
    public static string Session(IReadOnlyList<SessionCommitItem> commits, IReadOnlyList<SessionPullRequestItem> pullRequests, string? linkedCommitsCi = null)
    {
        var parts = new List<string>
        {
            commits.Count == 0
                ? "this session produced no linked commits"
                : "this session produced " + (commits.Count == 1 ? "commit " : "commits ") + string.Join(", ", commits.Select(c => ShaText.Short(c.Sha))),
        };

        var ci = Common.CiStatus.OfSession(pullRequests.Select(p => p.CiStatus), [linkedCommitsCi]);
        if (pullRequests.Count == 0)
        {
            parts.Add("no PR known");
            if (ci is not null)
            {
                parts.Add(CiPhrase(ci));
            }

            return string.Join("; ", parts);
        }

        parts.Add(string.Join(", ", pullRequests.Select(PrPhrase)));
        parts.Add(CiPhrase(ci));
        var touches = pullRequests.Sum(p => p.DownstreamTouchCount);
        var reverts = pullRequests.Sum(p => p.RevertCount);
        var revertNote = reverts == 0 ? "" : reverts == 1 ? " (1 revert)" : $" ({reverts} reverts)";
        parts.Add(touches == 0 && reverts == 0
            ? "not touched since"
            : $"touched {touches} {(touches == 1 ? "time" : "times")} since{revertNote}");
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

    /// <summary>"CI passed", "CI failed", "CI pending", ... of a rolled-up status.</summary>
    public static string CiPhrase(string? status)
    {
        return status switch
        {
            null => "no CI runs known",
            Common.CiStatus.Failure => "CI failed",
            Common.CiStatus.Pending => "CI pending",
            Common.CiStatus.Success => "CI passed",
            var other => $"CI {other}",
        };
    }

    public static string Money(double usd) => "$" + usd.ToString("0.00", CultureInfo.InvariantCulture);

    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
