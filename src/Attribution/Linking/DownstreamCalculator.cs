using System.Text.Json;
using Attribution.Store;

namespace Attribution.Linking;

/// <summary>
/// Downstream touches of commits and merged PRs from plain values: later non-merge commits, not in the same
/// PR, touching the same files within the window; classified revert / fix / other. Commit targets are chosen
/// by the caller (commits with a session link or an agent marker): every commit of a busy repository times
/// every later touch of its hot files would be quadratic and tell nobody anything.
/// </summary>
public static class DownstreamCalculator
{
    public const string CommitTarget = "commit";
    public const string PrTarget = "pr";

    /// <summary>The target key of a PR in <c>downstream_touches</c>: <c>provider/number</c>.</summary>
    public static string PrKey(string provider, long number) => DownstreamStore.PrKey(provider, number);

    public sealed record Output(HashSet<(string Kind, string Key)> Targets, List<DownstreamTouch> Touches);

    public static Output Compute(
        IReadOnlyList<LinkCommit> commits,
        IReadOnlyList<LinkCommitFile> files,
        IReadOnlyList<LinkPullRequest> pullRequests,
        IReadOnlyList<LinkPrCommit> prCommits,
        DateTimeOffset targetsSince,
        TimeSpan window,
        Func<LinkCommit, bool> isCommitTarget)
    {
        var filesByCommit = files.GroupBy(f => f.Sha).ToDictionary(g => g.Key, g => g.Select(f => f.Path).Distinct(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var prsOfCommit = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var commitsOfPr = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var pc in prCommits)
        {
            var key = PrKey(pc.Provider, pc.PrNumber);
            (prsOfCommit.TryGetValue(pc.Sha, out var s) ? s : prsOfCommit[pc.Sha] = new(StringComparer.Ordinal)).Add(key);
            (commitsOfPr.TryGetValue(key, out var c) ? c : commitsOfPr[key] = new(StringComparer.Ordinal)).Add(pc.Sha);
        }

        var timeline = new Dictionary<string, List<LinkCommit>>(StringComparer.Ordinal);
        foreach (var commit in commits.Where(c => !IsMerge(c)))
        {
            foreach (var path in filesByCommit.GetValueOrDefault(commit.Sha) ?? [])
            {
                (timeline.TryGetValue(path, out var l) ? l : timeline[path] = []).Add(commit);
            }
        }

        foreach (var list in timeline.Values)
        {
            list.Sort((a, b) => a.CommitterTs.CompareTo(b.CommitterTs));
        }

        var targets = new HashSet<(string, string)>();
        var touches = new List<DownstreamTouch>();

        foreach (var commit in commits.Where(c => !IsMerge(c) && c.CommitterTs >= targetsSince && isCommitTarget(c)))
        {
            var paths = filesByCommit.GetValueOrDefault(commit.Sha);
            if (paths is null)
            {
                continue;
            }

            targets.Add((CommitTarget, commit.Sha));
            var ownPrs = prsOfCommit.GetValueOrDefault(commit.Sha);
            var excluded = new HashSet<string>(StringComparer.Ordinal) { commit.Sha };
            foreach (var pr in ownPrs ?? [])
            {
                excluded.UnionWith(commitsOfPr[pr]);
            }

            foreach (var (touch, touchedFiles) in Touching(paths, commit.CommitterTs, window, excluded, timeline))
            {
                var classification = DownstreamRules.Classify(touch.Subject, touch.RevertsSha, [commit.Sha], partOfRevertPr: false);
                touches.Add(new DownstreamTouch(CommitTarget, commit.Sha, touch.Sha, classification, touch.CommitterTs, JsonSerializer.Serialize(touchedFiles)));
            }
        }

        foreach (var pr in pullRequests.Where(p => p.State == "merged" && p.MergedAt is not null && p.MergedAt >= targetsSince))
        {
            var key = PrKey(pr.Provider, pr.PrNumber);
            targets.Add((PrTarget, key));
            var own = commitsOfPr.GetValueOrDefault(key) ?? new HashSet<string>(StringComparer.Ordinal);
            var excluded = new HashSet<string>(own, StringComparer.Ordinal);
            if (pr.MergeCommitSha is not null)
            {
                excluded.Add(pr.MergeCommitSha);
            }

            var paths = own.SelectMany(s => filesByCommit.GetValueOrDefault(s) ?? []).Distinct(StringComparer.Ordinal).ToList();
            var revertingCommits = pr.RevertedByPr is { } by ? commitsOfPr.GetValueOrDefault(PrKey(pr.Provider, by)) : null;
            var targetShas = excluded.ToList();
            foreach (var (touch, touchedFiles) in Touching(paths, pr.MergedAt!.Value, window, excluded, timeline))
            {
                var classification = DownstreamRules.Classify(touch.Subject, touch.RevertsSha, targetShas, revertingCommits?.Contains(touch.Sha) == true);
                touches.Add(new DownstreamTouch(PrTarget, key, touch.Sha, classification, touch.CommitterTs, JsonSerializer.Serialize(touchedFiles)));
            }
        }

        return new Output(targets, touches);
    }

    private static IEnumerable<(LinkCommit Touch, List<string> Files)> Touching(
        IReadOnlyList<string> paths, DateTimeOffset from, TimeSpan window, HashSet<string> excluded, Dictionary<string, List<LinkCommit>> timeline)
    {
        var found = new Dictionary<string, (LinkCommit Commit, List<string> Files)>(StringComparer.Ordinal);
        var until = from + window;
        foreach (var path in paths)
        {
            if (!timeline.TryGetValue(path, out var list))
            {
                continue;
            }

            for (var i = FirstAfter(list, from); i < list.Count && list[i].CommitterTs <= until; i++)
            {
                var touch = list[i];
                if (excluded.Contains(touch.Sha))
                {
                    continue;
                }

                if (!found.TryGetValue(touch.Sha, out var entry))
                {
                    found[touch.Sha] = entry = (touch, []);
                }

                entry.Files.Add(path);
            }
        }

        return found.Values.OrderBy(v => v.Commit.CommitterTs).Select(v => (v.Commit, v.Files));
    }

    private static int FirstAfter(List<LinkCommit> list, DateTimeOffset from)
    {
        int lo = 0, hi = list.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (list[mid].CommitterTs <= from)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static bool IsMerge(LinkCommit commit) => commit.Parents.Contains(',', StringComparison.Ordinal);
}
