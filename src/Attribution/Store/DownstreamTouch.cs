namespace Attribution.Store;

/// <summary>
/// A later commit touching a target's files: target kind <c>commit</c> (key = sha) or <c>pr</c> (key = <c>provider/number</c>).
/// <c>LinesChanged</c>: how many of the target's own lines it removed or rewrote (null: not known).
/// </summary>
public sealed record DownstreamTouch(string TargetKind, string TargetKey, string TouchSha, string Classification, DateTimeOffset TouchedTs, string FilesJson, int? LinesChanged = null);
