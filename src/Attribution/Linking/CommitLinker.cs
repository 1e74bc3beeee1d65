using System.Text.Json;
using Attribution.Store;

namespace Attribution.Linking;

/// <summary>
/// Scores every (commit, session) pair of one repository from plain values: authored (commit output, session
/// trailers, verified signed trailers, the message of the session's own <c>git commit</c> command line), co-authored
/// (agent trailer plus edits of the commit's files) and inferred-by-touch (file overlap, recency, first touch,
/// session text in the diff, competition), then maps each raw score to a calibrated confidence
/// (<see cref="LinkCalibration"/>). Pure apart from <c>addedLines</c>, which reads a candidate commit's added lines on demand.
/// <para>
/// How git and the agents work shapes the rules: a commit's change was written at its author time (a rebase,
/// amend or cherry-pick keeps it and moves only the committer time), so delays, "first touch" and activity are
/// measured from it; a session that started after that time cannot have written the change (a rewrite is not
/// authorship); commits of the same session's series are not evidence against each other; a rewritten commit
/// (same author, author time and subject) is the same change and carries the session's commit output, and a
/// squash merge that lists a subject the session committed carries it too.
/// </para>
/// </summary>
public sealed class CommitLinker(LinkingOptions options, LinkCalibration calibration)
{
    public const string Authored = "authored";
    public const string CoAuthored = "co-authored";
    public const string InferredByTouch = "inferred-by-touch";

    public CommitLinker(LinkingOptions options)
        : this(options, LinkCalibration.Default)
    {
    }

    public IReadOnlyList<CommitSessionLink> Link(
        string repoSlug,
        IReadOnlyList<LinkSession> sessions,
        IReadOnlyList<LinkSessionEvent> events,
        IReadOnlyList<LinkCommit> commits,
        IReadOnlyList<LinkCommitFile> files,
        IReadOnlyList<AuthoredHit> authored,
        Func<string, IReadOnlyDictionary<string, IReadOnlyList<string>>?> addedLines,
        Func<string, SignedTrailerVerdict?> verifyTrailer,
        IReadOnlyList<LinkSessionEvent>? unresolvedCommitOutputs = null,
        IReadOnlyList<string>? repositoryPaths = null,
        IReadOnlySet<string>? signedOnly = null,
        LinkScope? scope = null)
    {
        var paths = new RepoPathIndex(repositoryPaths ?? files.Select(f => f.Path).ToList());
        var pass = new LinkPass(options, calibration, sessions, events, commits, files, paths, addedLines);
        pass.AddCommitOutputs(authored);
        pass.AddRewrittenCommitOutputs(unresolvedCommitOutputs ?? []);
        pass.AddSquashedCommitOutputs(events);
        pass.AddTrailers(verifyTrailer, signedOnly ?? new HashSet<string>());
        pass.AddCommitCommands(events);
        pass.ScoreCommits(scope is null ? null : commit =>
        {
            var take = WrittenTs(commit) >= scope.From || scope.AlsoScore.Contains(commit.Sha) || pass.Reaches(scope.Sessions, commit);
            if (take)
            {
                scope.Scored.Add(commit.Sha);
            }

            return take;
        });
        // An incremental pass writes the pairs of the commits it scored alone: the others are not worth their evidence's text.
        return pass.Links(repoSlug, scope is null ? null : scope.Scored.Contains);
    }

    /// <summary>
    /// Which commits an incremental pass scores: those written from <see cref="From"/> on, those in <see cref="AlsoScore"/>,
    /// and those one of <see cref="Sessions"/> reaches (<see cref="LinkPass.Reaches"/>). The scored shas are collected in
    /// <see cref="Scored"/>: their pairs, and only theirs, are the pass's to write.
    /// </summary>
    public sealed record LinkScope(DateTimeOffset From, IReadOnlySet<string> Sessions, IReadOnlySet<string> AlsoScore)
    {
        public HashSet<string> Scored { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>From the session's start (or first event) to <paramref name="grace"/> after its last event (or end).</summary>
    public static (DateTimeOffset Start, DateTimeOffset End)? ActiveWindow(LinkSession session, IReadOnlyList<LinkSessionEvent>? events, TimeSpan grace)
    {
        var first = events is { Count: > 0 } ? events.Min(e => e.Ts) : (DateTimeOffset?)null;
        var last = events is { Count: > 0 } ? events.Max(e => e.Ts) : (DateTimeOffset?)null;
        var start = Min(session.StartedTs, first);
        var end = Max(session.EndedTs, last);
        if (start is null || end is null)
        {
            return null;
        }

        return (start.Value, end.Value + grace);
    }

    /// <summary>When the commit's change was written: its author time, unless that is after the committer time (a broken clock).</summary>
    public static DateTimeOffset WrittenTs(LinkCommit commit) =>
        commit.AuthorTs is { } author && author <= commit.CommitterTs ? author : commit.CommitterTs;

    /// <summary>The commit's parent shas, as stored by <c>CommitStore</c> (a JSON array); none when unreadable.</summary>
    public static IReadOnlyList<string> Parents(LinkCommit commit) => Common.StoredJson.StringArray(commit.Parents);

    /// <summary>Trailers as stored by <c>CommitStore</c>: a JSON array of [key, value] pairs.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseTrailers(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            var pairs = JsonSerializer.Deserialize<string[][]>(json) ?? [];
            return pairs.Where(p => p.Length == 2).Select(p => new KeyValuePair<string, string>(p[0], p[1])).ToList();
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
