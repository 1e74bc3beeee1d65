namespace Attribution.Store;

/// <summary>
/// Line-level outcome of one downstream target (kind and key as in <see cref="DownstreamTouch"/>): lines written, lines
/// still present at the default branch's head and 14 and 30 days after it landed (null: too young, or not in that
/// history), and lines later work by others rewrote. <c>Fingerprint</c> names the inputs; <c>HeadSha</c> the tip read.
/// </summary>
public sealed record LineOutcome(
    string TargetKind,
    string TargetKey,
    int LinesWritten,
    int? LinesAtHead,
    int? LinesAfter14d,
    int? LinesAfter30d,
    int LinesRewrittenByOthers,
    string? HeadSha,
    string Fingerprint);

/// <summary>A <c>line_outcomes</c> row as read (<see cref="ToRecord"/> gives the record).</summary>
public class LineOutcomeRow
{
    public string TargetKind { get; set; } = "";
    public string TargetKey { get; set; } = "";
    public int LinesWritten { get; set; }
    public int? LinesAtHead { get; set; }
    public int? LinesAfter14d { get; set; }
    public int? LinesAfter30d { get; set; }
    public int LinesRewrittenByOthers { get; set; }
    public string? HeadSha { get; set; }
    public string Fingerprint { get; set; } = "";

    public LineOutcome ToRecord() => new(TargetKind, TargetKey, LinesWritten, LinesAtHead, LinesAfter14d, LinesAfter30d, LinesRewrittenByOthers, HeadSha, Fingerprint);
}
