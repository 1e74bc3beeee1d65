using System.Text.Json;
using Attribution.Store;

namespace Attribution.Linking;

/// <summary>
/// A squash merge writes the PR's work as one new commit that no session made: it inherits the sessions linked
/// (at or above the threshold) to the PR's own commits, with the same link type and the best of their
/// confidences, and evidence naming the PR and the commits it came from. A merge commit (two parents) carries
/// others' work and inherits nothing; a link the rubric made on its own stays when it is at least as strong.
/// </summary>
public static class SquashInheritance
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The links with what squash commits inherit added (or replacing weaker links of the same pair).</summary>
    public static IReadOnlyList<CommitSessionLink> Apply(
        IReadOnlyList<CommitSessionLink> links,
        IReadOnlyList<LinkPullRequest> prs,
        IReadOnlyList<LinkPrCommit> prCommits,
        IReadOnlyList<LinkCommit> commits,
        double threshold)
    {
        var bySha = commits.ToDictionary(c => c.Sha, StringComparer.Ordinal);
        var own = links.ToDictionary(l => (l.CommitSha, l.SessionId));
        var strongBySha = links.Where(l => l.Confidence >= threshold).ToLookup(l => l.CommitSha, StringComparer.Ordinal);
        var members = prCommits.ToLookup(c => (c.Provider, c.PrNumber));
        var inherited = new Dictionary<(string Sha, string Session), (CommitSessionLink Best, int Pr, List<string> From)>();
        foreach (var pr in prs.Where(p => p.State == "merged" && !string.IsNullOrEmpty(p.MergeCommitSha)))
        {
            var squash = pr.MergeCommitSha!;
            if (!bySha.TryGetValue(squash, out var commit) || CommitLinker.Parents(commit).Count != 1)
            {
                continue;
            }

            foreach (var sha in members[(pr.Provider, pr.PrNumber)].Select(m => m.Sha).Where(s => s != squash).Distinct(StringComparer.Ordinal))
            {
                foreach (var link in strongBySha[sha])
                {
                    if (own.TryGetValue((squash, link.SessionId), out var existing) && existing.Confidence >= link.Confidence)
                    {
                        continue;
                    }

                    var key = (squash, link.SessionId);
                    if (!inherited.TryGetValue(key, out var found))
                    {
                        inherited[key] = found = (link, (int)pr.PrNumber, []);
                    }
                    else if (link.Confidence > found.Best.Confidence)
                    {
                        inherited[key] = found = (link, found.Pr, found.From);
                    }

                    found.From.Add(sha);
                }
            }
        }

        if (inherited.Count == 0)
        {
            return links;
        }

        var added = inherited.Select(p =>
        {
            var (best, pr, from) = p.Value;
            var evidence = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["method"] = "squash-of-pr",
                ["rule"] = "squash-of-pr",
                ["raw"] = best.Confidence,
                ["pr"] = pr,
                ["fromCommits"] = from.Order(StringComparer.Ordinal).ToList(),
                ["inheritedLinkType"] = best.LinkType,
            }, Json);
            return new CommitSessionLink(p.Key.Sha, best.RepoSlug, p.Key.Session, best.LinkType, best.Confidence, evidence);
        }).ToList();
        return links.Where(l => !inherited.ContainsKey((l.CommitSha, l.SessionId))).Concat(added)
            .OrderBy(l => l.CommitSha, StringComparer.Ordinal).ThenBy(l => l.SessionId, StringComparer.Ordinal).ToList();
    }
}
