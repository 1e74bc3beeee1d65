namespace Attribution.Linking;

/// <summary>
/// Git's answer to a <see cref="LineQuestion"/>: lines the work wrote, still present at the default branch's head and
/// 14 and 30 days after <c>Since</c> (null: too young, or the work not in that history), and per touch how many of the
/// work's lines it removed or rewrote (absent or null: not known). <c>HeadSha</c> is the tip read.
/// </summary>
public sealed record LineAnswer(
    int Written,
    int? AtHead,
    int? After14d,
    int? After30d,
    string? HeadSha,
    IReadOnlyDictionary<string, int?> ChangedByTouch);
