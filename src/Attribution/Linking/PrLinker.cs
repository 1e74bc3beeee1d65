using System.Text.Json;
using Attribution.Store;
using Attribution.Common;

namespace Attribution.Linking;

/// <summary>
/// Session↔PR links from plain values: a link to one of the PR's commits (the commit link's confidence),
/// the session created or pushed the PR's head branch (0.9; never for the default branch), or it opened the
/// PR (1.0). The strongest reason wins; all are kept in the evidence.
/// </summary>
public static class PrLinker
{
    public const double BranchConfidence = 0.9;
    public const double OpenedConfidence = 1.0;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<SessionPrLink> Link(
        LinkPullRequest pr,
        IReadOnlyCollection<string> prCommitShas,
        IReadOnlyList<StoredCommitLink> commitLinks,
        IReadOnlyList<LinkSessionEvent> repoEvents,
        string? defaultBranch)
    {
        var reasons = new Dictionary<string, List<(string Reason, double Confidence, object Evidence)>>(StringComparer.Ordinal);
        void Add(string session, string reason, double confidence, object evidence) =>
            (reasons.TryGetValue(session, out var l) ? l : reasons[session] = []).Add((reason, confidence, evidence));

        foreach (var group in commitLinks.Where(l => prCommitShas.Contains(l.CommitSha)).GroupBy(l => l.SessionId))
        {
            var best = group.MaxBy(l => l.Confidence)!;
            Add(group.Key, "commit", best.Confidence, new { commits = group.OrderByDescending(l => l.Confidence).Take(10).Select(l => new { sha = l.CommitSha, linkType = l.LinkType, confidence = l.Confidence }) });
        }

        var head = BranchName(pr.HeadRef);
        var protectedBranches = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "main", "master" };
        if (BranchName(defaultBranch) is { } d)
        {
            protectedBranches.Add(d);
        }

        if (BranchName(pr.BaseRef) is { } b)
        {
            protectedBranches.Add(b);
        }

        foreach (var e in repoEvents)
        {
            if (e.Kind is SessionEventKinds.Branch or SessionEventKinds.Push
                && head is not null && !protectedBranches.Contains(head)
                && string.Equals(BranchName(e.Branch), head, StringComparison.Ordinal)
                && e.IsError == 0
                && (pr.MergedAt is null || e.Ts <= pr.MergedAt))
            {
                Add(e.SessionId, "branch", BranchConfidence, new { kind = e.Kind, branch = head, ts = e.Ts, command = Clip(e.Command) });
            }

            if (e.Kind == SessionEventKinds.PullRequest && NamesPr(e, pr))
            {
                Add(e.SessionId, "opened", OpenedConfidence, new { url = e.Url, number = e.PrNumber, ts = e.Ts });
            }
        }

        return reasons.Select(p =>
        {
            var top = p.Value.MaxBy(r => r.Confidence);
            var evidence = JsonSerializer.Serialize(new { method = top.Reason, reasons = p.Value.Select(r => new { reason = r.Reason, confidence = r.Confidence, evidence = r.Evidence }) }, Json);
            return new SessionPrLink(p.Key, pr.Provider, pr.RepoSlug, pr.PrNumber, top.Reason, Math.Round(top.Confidence, 3), evidence);
        }).OrderBy(l => l.SessionId, StringComparer.Ordinal).ToList();
    }

    /// <summary>True when a <c>pr</c> event names this PR: its URL, or its number (the event is of the same repository).</summary>
    public static bool NamesPr(LinkSessionEvent e, LinkPullRequest pr)
    {
        if (!string.IsNullOrEmpty(e.Url))
        {
            var url = e.Url.TrimEnd('/');
            if (!string.IsNullOrEmpty(pr.Url) && string.Equals(url, pr.Url.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            var number = pr.PrNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return url.Contains("/" + pr.RepoSlug + "/", StringComparison.OrdinalIgnoreCase)
                && (url.EndsWith("/pull/" + number, StringComparison.Ordinal) || url.EndsWith("/merge_requests/" + number, StringComparison.Ordinal));
        }

        return e.PrNumber == pr.PrNumber;
    }

    /// <summary><c>refs/heads/feat/x</c>, <c>origin/feat/x</c> → <c>feat/x</c>.</summary>
    public static string? BranchName(string? reference)
    {
        if (string.IsNullOrWhiteSpace(reference))
        {
            return null;
        }

        var r = reference.Trim();
        foreach (var prefix in new[] { "refs/heads/", "refs/remotes/origin/", "origin/" })
        {
            if (r.StartsWith(prefix, StringComparison.Ordinal))
            {
                return r[prefix.Length..];
            }
        }

        return r;
    }

    private static string? Clip(string? text) => text is null ? null : text.Length <= 300 ? text : text[..300];
}
