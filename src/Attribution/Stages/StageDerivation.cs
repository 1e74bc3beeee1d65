using System.Text.RegularExpressions;
using Attribution.Common;
using Attribution.Store;

namespace Attribution.Stages;

/// <summary>A stage entry derived from evidence in the attribution graph.</summary>
public sealed record DerivedStageEntry(PrStage Stage, string SessionId, double Confidence, IReadOnlyDictionary<string, object?> Evidence);

/// <summary>
/// Derives who did each stage of a PR from the graph (pure):
/// implementation = sessions linked (≥ 0.5) to its commits, or that pushed its head branch or opened it;
/// review = sessions owning signed review artifacts (comments, reviews, notes) on it;
/// integration = sessions related to the PR that ran tests or merged/rebased a branch while it was open.
/// </summary>
public static partial class StageDerivation
{
    public const double MinimumLinkConfidence = 0.5;

    [GeneratedRegex(@"(^|[\s;&|(])(dotnet\s+test|npm\s+(run\s+)?test|yarn\s+(run\s+)?test|pnpm\s+(run\s+)?test|npx\s+(jest|vitest)|jest|vitest|pytest|python3?\s+-m\s+pytest|go\s+test|cargo\s+(test|nextest)|make\s+(test|check)|mvn\b[^;&|]*\btest|(\./)?gradlew?\b[^;&|]*\btest|rspec|bundle\s+exec\s+rspec|phpunit|tox|ctest|mix\s+test|swift\s+test)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex TestCommand();

    [GeneratedRegex(@"\bgit\s+(-C\s+\S+\s+)?(merge|rebase|pull)(?:$|[^\w-])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex BranchIntegration();

    public static bool IsTestCommand(string command) => TestCommand().IsMatch(command);

    public static bool IsBranchIntegration(string command) => BranchIntegration().IsMatch(command);

    public static IReadOnlyList<DerivedStageEntry> Derive(StageGraph graph)
    {
        var entries = new List<DerivedStageEntry>();
        entries.AddRange(Implementation(graph));
        entries.AddRange(Review(graph));
        entries.AddRange(Integration(graph, entries.Select(e => e.SessionId).ToHashSet(StringComparer.Ordinal)));
        return entries;
    }

    private static IEnumerable<DerivedStageEntry> Implementation(StageGraph graph)
    {
        var byCommit = graph.CommitLinks.Where(l => l.Confidence >= MinimumLinkConfidence).GroupBy(l => l.SessionId, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in byCommit.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            seen.Add(group.Key);
            yield return new DerivedStageEntry(PrStage.Implementation, group.Key, group.Max(l => l.Confidence), new Dictionary<string, object?>
            {
                ["method"] = "commit-links",
                ["commits"] = group.Select(l => l.Sha[..Math.Min(12, l.Sha.Length)]).Distinct().ToArray(),
                ["linkTypes"] = group.Select(l => l.LinkType).Distinct().ToArray(),
            });
        }

        foreach (var link in graph.PrLinks.Where(l => l.Confidence >= MinimumLinkConfidence && l.Reason != "commit" && !seen.Contains(l.SessionId))
                     .OrderBy(l => l.SessionId, StringComparer.Ordinal))
        {
            if (seen.Add(link.SessionId))
            {
                yield return new DerivedStageEntry(PrStage.Implementation, link.SessionId, link.Confidence, new Dictionary<string, object?>
                {
                    ["method"] = "pr-link",
                    ["reason"] = link.Reason,
                });
            }
        }
    }

    private static IEnumerable<DerivedStageEntry> Review(StageGraph graph) =>
        graph.ReviewArtifacts
            .GroupBy(a => a.SessionId, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new DerivedStageEntry(PrStage.Review, g.Key, 1.0, new Dictionary<string, object?>
            {
                ["method"] = "review-artifacts",
                ["artifacts"] = g.Select(a => a.ArtifactId is null ? a.Kind : $"{a.Kind}:{a.ArtifactId}").ToArray(),
            }));

    private static IEnumerable<DerivedStageEntry> Integration(StageGraph graph, IReadOnlySet<string> linkedSessions)
    {
        var pr = graph.Pr;
        var openedAt = pr.CreatedAt ?? DateTimeOffset.MinValue;
        var endedAt = pr.MergedAt ?? pr.ClosedAt ?? DateTimeOffset.MaxValue;
        var candidates = graph.ShellEvents
            .Where(e => e.Ts >= openedAt && e.Ts <= endedAt)
            .Where(e => IsTestCommand(e.Command) || IsBranchIntegration(e.Command))
            .GroupBy(e => e.SessionId, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var group in candidates)
        {
            var related = Relation(graph, group.Key, group, linkedSessions);
            if (related is null)
            {
                continue;
            }

            var tests = group.Count(e => IsTestCommand(e.Command));
            var merges = group.Count(e => IsBranchIntegration(e.Command));
            yield return new DerivedStageEntry(PrStage.Integration, group.Key, related == "linked" || related == "head-branch" ? 0.8 : 0.6, new Dictionary<string, object?>
            {
                ["method"] = "commands-after-open",
                ["relation"] = related,
                ["testRuns"] = tests,
                ["mergesOrRebases"] = merges,
                ["failedRuns"] = group.Count(e => e.IsError),
                ["commands"] = group.Select(e => Excerpt(e.Command)).Distinct().Take(3).ToArray(),
                ["firstAt"] = group.Min(e => e.Ts),
            });
        }
    }

    /// <summary>How the session is tied to the PR, or null when it is not (then its commands say nothing about this PR).</summary>
    private static string? Relation(StageGraph graph, string sessionId, IEnumerable<StageShellEvent> events, IReadOnlySet<string> linkedSessions)
    {
        if (linkedSessions.Contains(sessionId))
        {
            return "linked";
        }

        var head = graph.Pr.HeadRef;
        if (string.IsNullOrEmpty(head))
        {
            return null;
        }

        if (graph.Sessions.TryGetValue(sessionId, out var session) && string.Equals(session.GitBranch, head, StringComparison.Ordinal))
        {
            return "head-branch";
        }

        return events.Any(e => MentionsBranch(e.Command, head)) ? "names-head-branch" : null;
    }

    private static bool MentionsBranch(string command, string branch)
    {
        var index = command.IndexOf(branch, StringComparison.Ordinal);
        while (index >= 0)
        {
            var before = index == 0 ? ' ' : command[index - 1];
            var afterIndex = index + branch.Length;
            var after = afterIndex >= command.Length ? ' ' : command[afterIndex];
            if ((char.IsWhiteSpace(before) || before is '/' or '\'' or '"' or ':') && (char.IsWhiteSpace(after) || after is '\'' or '"' or ';' or '&' or '|' or ':'))
            {
                return true;
            }

            index = command.IndexOf(branch, index + 1, StringComparison.Ordinal);
        }

        return false;
    }

    private static string Excerpt(string command)
    {
        var line = command.Split('\n', 2)[0].Trim();
        return line.Length <= 120 ? line : line[..117] + "...";
    }
}
