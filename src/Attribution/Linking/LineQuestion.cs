namespace Attribution.Linking;

/// <summary>
/// What the downstream pass asks git about one target's lines. <c>AnchorSha</c> is the work as it landed (the commit, or
/// the PR's merge or squash commit); <c>Origins</c> the commits whose lines are the work's; <c>Paths</c> its files, with
/// the names later renames gave them; <c>TouchShas</c> the touches whose changed lines are wanted; <c>Since</c> the time
/// survival counts from. <c>Fingerprint</c> changes whenever any of these or a later commit of those files changes.
/// </summary>
public sealed record LineQuestion(
    string Kind,
    string Key,
    string Fingerprint,
    string AnchorSha,
    IReadOnlyList<string> Origins,
    IReadOnlyList<string> Paths,
    IReadOnlyList<string> TouchShas,
    DateTimeOffset Since);
