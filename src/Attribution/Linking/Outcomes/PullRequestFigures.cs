namespace Attribution.Linking.Outcomes;

/// <summary>
/// The verdict figures of one PR, as every surface shows them (session document, CLI sentence, PR stage report,
/// <c>/providers</c>, PR page): CI outcome, downstream touches, reverts, still good after
/// <see cref="StillGoodAfterDays"/> days (null: too young to judge, or not merged).
/// </summary>
public sealed record PullRequestFigures(string? CiStatus, int TouchCount, int FixCount, int RevertCount, bool? StillGood, int StillGoodAfterDays);
