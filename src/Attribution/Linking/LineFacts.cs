using Attribution.Git;
using Attribution.Store;

namespace Attribution.Linking;

/// <summary>
/// Answers the downstream pass's <see cref="LineQuestion"/>s for one repository: from the stored facts when the target's
/// fingerprint is unchanged (and, for work not yet on the default branch, the head has not moved), else from git.
/// </summary>
internal sealed class LineFacts(
    LineOriginReader reader,
    IReadOnlyDictionary<(string Kind, string Key), LineOutcome> stored,
    IReadOnlyDictionary<(string Kind, string Key, string Touch), int> storedTouchLines,
    DateTimeOffset now,
    TimeSpan budget,
    CancellationToken cancellationToken)
{
    private string? _head;
    private bool _headRead;

    private readonly System.Diagnostics.Stopwatch _clock = new();

    /// <summary>How many targets were read from git (not reused).</summary>
    public int Read { get; private set; }

    /// <summary>How many targets needed git after the budget was spent, and were left for a later pass.</summary>
    public int Deferred { get; private set; }

    /// <summary>Time spent in git.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    private string? Head
    {
        get
        {
            if (!_headRead)
            {
                _head = reader.HeadSha;
                _headRead = true;
            }

            return _head;
        }
    }

    public LineAnswer? Answer(LineQuestion question)
    {
        _clock.Start();
        try
        {
            return FromStoreOrGit(question);
        }
        finally
        {
            _clock.Stop();
        }
    }

    /// <summary>
    /// Work not (yet) at the head keeps its "not at head" answer while no file it follows changed between the head it was
    /// read at and today's: a head moving elsewhere cannot bring its lines there.
    /// </summary>
    private bool HeadKept(string? readAt, IReadOnlyCollection<string> paths) =>
        readAt is not null && Head is { } head && reader.PathsChangedBetween(readAt, head) is { } changed && !paths.Any(changed.Contains);

    /// <summary>
    /// The head count of work read before at another head, without counting it afresh. When the head moved forward
    /// without merges, each new commit removed or rewrote some of the work's lines (<see cref="LineOriginReader.ChangedLines"/>:
    /// its diff and the blame of its parent, both shared with every target it touches) and added none of them (a line it
    /// adds is its own): those are taken off.
    /// Otherwise only the work's files that changed between the two heads can have moved the count, so those alone are
    /// counted at both heads and the difference applied (one blame of each per head, shared by every target of the pass).
    /// Null when it must be counted afresh.
    /// </summary>
    private int? MovedHead(LineOutcome? previous, LineQuestion question, string head, string? boundary, IReadOnlySet<string> origins, IReadOnlySet<string>? texts)
    {
        if (previous is not { LinesAtHead: { } before, HeadSha: { } readAt } || readAt == head)
        {
            return null;
        }

        if (reader.LinearSince(readAt, head) is { } commits)
        {
            var count = before;
            foreach (var commit in commits)
            {
                if (reader.ChangedLines(commit, boundary, origins, question.Paths, texts) is not { } removed)
                {
                    return null;
                }

                count -= removed;
            }

            return Math.Max(0, count);
        }

        if (reader.PathsChangedBetween(readAt, head) is not { } changed)
        {
            return null;
        }

        var moved = question.Paths.Where(changed.Contains).ToList();
        if (moved.Count == 0)
        {
            return before;
        }

        var then = reader.CountLines(readAt, question.AnchorSha, boundary, origins, moved, texts);
        var now = reader.CountLines(head, question.AnchorSha, boundary, origins, moved, texts);
        return then is null || now is null ? null : Math.Max(0, before - then.Value + now.Value);
    }

    /// <summary>
    /// Work that was not in the history of the head it was read at is not in today's either when the head moved forward
    /// from there without merges and none of the commits between is the work itself: no count, and no walk of the
    /// history to find that out again (the merge base of the head and a branch's work costs a walk back to their fork).
    /// </summary>
    private bool StillNotAtHead(LineOutcome? previous, LineQuestion question, string head) =>
        previous is { LinesAtHead: null, HeadSha: { } readAt } && readAt != head
        && reader.LinearSince(readAt, head) is { } commits && !commits.Contains(question.AnchorSha, StringComparer.Ordinal);

    private LineAnswer? FromStoreOrGit(LineQuestion question)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (stored.TryGetValue((question.Kind, question.Key), out var old) && old.Fingerprint == question.Fingerprint
            && (old.LinesAtHead is not null || old.HeadSha == Head || HeadKept(old.HeadSha, question.Paths)))
        {
            var known = question.TouchShas.ToDictionary(t => t, t => storedTouchLines.TryGetValue((question.Kind, question.Key, t), out var n) ? (int?)n : null, StringComparer.Ordinal);
            return new LineAnswer(old.LinesWritten, old.LinesAtHead, old.LinesAfter14d, old.LinesAfter30d, old.HeadSha, known);
        }

        // At least one target per pass is read, so a target slower than the whole budget still gets its facts.
        if (Read > 0 && _clock.Elapsed >= budget)
        {
            Deferred++;
            return null;
        }

        var boundary = reader.FirstParent(question.AnchorSha);
        var origins = question.Origins.ToHashSet(StringComparer.Ordinal);
        var texts = reader.AddedTexts(question.Origins);
        // What a new commit cannot change is kept from the last read: the lines written, a passed horizon's figure, and
        // what each known touch changed. The head and the new touches are read.
        var previous = stored.GetValueOrDefault((question.Kind, question.Key));
        var written = previous?.LinesWritten ?? reader.CountLines(question.AnchorSha, question.AnchorSha, boundary, origins, question.Paths);
        if (written is null)
        {
            return null;
        }

        Read++;
        var head = Head;
        var atHead = head is null || StillNotAtHead(previous, question, head) ? null
            : MovedHead(previous, question, head, boundary, origins, texts) ?? reader.CountLines(head, question.AnchorSha, boundary, origins, question.Paths, texts);
        int? After(int days)
        {
            // Only a horizon that has passed is judged (the fingerprint changes when one passes).
            var at = question.Since.AddDays(days);
            return head is null || at > now || reader.TipAt(head, at) is not { } tip
                ? null
                : reader.CountLines(tip, question.AnchorSha, boundary, origins, question.Paths, texts);
        }

        var changed = new Dictionary<string, int?>(StringComparer.Ordinal);
        foreach (var touch in question.TouchShas)
        {
            cancellationToken.ThrowIfCancellationRequested();
            changed[touch] = previous is not null && storedTouchLines.TryGetValue((question.Kind, question.Key, touch), out var known)
                ? known
                : reader.ChangedLines(touch, boundary, origins, question.Paths, texts);
        }

        // A passed horizon's figure stays as it was read, "not in that history" (null) included, while the tip at the
        // horizon is still the one it was read at (the head moved on after it): a later commit cannot change that snapshot.
        int? Horizon(int days, int? before) =>
            before ?? (previous?.HeadSha is { } readAt && head is not null && reader.SameTipAt(readAt, head, question.Since.AddDays(days)) ? null : After(days));

        return new LineAnswer(written.Value, atHead, Horizon(DownstreamCalculator.ShortSurvivalDays, previous?.LinesAfter14d),
            Horizon(DownstreamCalculator.LongSurvivalDays, previous?.LinesAfter30d), head, changed);
    }
}
