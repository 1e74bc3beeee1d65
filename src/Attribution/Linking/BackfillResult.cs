namespace Attribution.Linking;

/// <summary>Counts of one attribution pass.</summary>
public sealed record BackfillResult
{
    public int Repositories { get; init; }

    /// <summary>Repositories skipped because nothing they depend on changed since the last pass.</summary>
    public int Unchanged { get; init; }
    public int CommitsRead { get; init; }
    public int Sessions { get; init; }
    public int CommitLinks { get; init; }
    public int StrongCommitLinks { get; init; }
    public int CommitLinksWritten { get; init; }
    public int CommitLinksRemoved { get; init; }
    public int PrCommitsAdded { get; init; }
    public int PrLinks { get; init; }
    public int DownstreamTouches { get; init; }
    public int DownstreamWritten { get; init; }

    /// <summary>Targets with line facts, and how many of them were read from git this pass (the rest were unchanged).</summary>
    public int LineTargets { get; init; }

    public int LineTargetsRead { get; init; }

    /// <summary>Time spent reading line facts from git (blame), the part of the pass the line figures cost.</summary>
    public TimeSpan LineElapsed { get; init; }

    /// <summary>Line targets left for a later pass because this one spent its line budget.</summary>
    public int LineTargetsDeferred { get; init; }

    /// <summary>Repositories passed incrementally: only what new commits and changed sessions can reach was recomputed.</summary>
    public int Incremental { get; init; }

    /// <summary>Time spent linking commits and PRs, and computing downstream touches and line outcomes (line reading included).</summary>
    public TimeSpan LinkElapsed { get; init; }

    public TimeSpan DownstreamElapsed { get; init; }

    public int Warnings { get; init; }
    public TimeSpan Elapsed { get; init; }

    /// <summary>Sessions that ended before the pass's window (<c>--since</c>) and were not linked by it.</summary>
    public int SessionsLeftOut { get; init; }

    /// <summary>The start of the pass's window; null when it covered all history.</summary>
    public DateTimeOffset? Since { get; init; }

    public BackfillResult Add(BackfillResult other) => this with
    {
        Repositories = Repositories + other.Repositories,
        Unchanged = Unchanged + other.Unchanged,
        CommitsRead = CommitsRead + other.CommitsRead,
        Sessions = Sessions + other.Sessions,
        CommitLinks = CommitLinks + other.CommitLinks,
        StrongCommitLinks = StrongCommitLinks + other.StrongCommitLinks,
        CommitLinksWritten = CommitLinksWritten + other.CommitLinksWritten,
        CommitLinksRemoved = CommitLinksRemoved + other.CommitLinksRemoved,
        PrCommitsAdded = PrCommitsAdded + other.PrCommitsAdded,
        PrLinks = PrLinks + other.PrLinks,
        DownstreamTouches = DownstreamTouches + other.DownstreamTouches,
        DownstreamWritten = DownstreamWritten + other.DownstreamWritten,
        LineTargets = LineTargets + other.LineTargets,
        LineTargetsRead = LineTargetsRead + other.LineTargetsRead,
        LineElapsed = LineElapsed + other.LineElapsed,
        LineTargetsDeferred = LineTargetsDeferred + other.LineTargetsDeferred,
        Incremental = Incremental + other.Incremental,
        LinkElapsed = LinkElapsed + other.LinkElapsed,
        DownstreamElapsed = DownstreamElapsed + other.DownstreamElapsed,
        Warnings = Warnings + other.Warnings,
    };
}
