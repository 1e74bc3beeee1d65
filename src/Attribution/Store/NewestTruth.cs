namespace Attribution.Store;

/// <summary>
/// The one rule by which a webhook delivery and a REST backfill, written in any order and replayed any number of
/// times, leave the newest truth in <c>pr_outcomes</c> and <c>ci_runs</c>. Each rule is a SQL condition, true when
/// the incoming version replaces the stored one, so the write that tests it cannot race another writer. The
/// arguments name the SQL expressions of the incoming and the stored values (parameters, <c>excluded.*</c> or columns);
/// <c>kept</c> pairs the columns a write keeps when the incoming side lacks them (<c>COALESCE</c>).
/// </summary>
public static class NewestTruth
{
    /// <summary>
    /// A pull request: a newer provider <c>updated_at</c> wins; a stored row without one always yields; at the same
    /// time the further state wins (merged &gt; closed &gt; open), so a replay of an earlier event at the same second
    /// cannot reopen a merged PR. The same version again (<see cref="SamePullRequest"/>) writes nothing.
    /// </summary>
    public static string PullRequestWins(string inTime, string inState, string inRaw, string time, string state, string raw,
        params (string Incoming, string Stored)[] kept) => $"""
        ({time} IS NULL
         OR ({inTime} IS NOT NULL AND {inTime} > {time})
         OR ({inTime} IS NOT NULL AND {inTime} = {time} AND {StateRank(inState)} >= {StateRank(state)}))
        AND NOT ({SamePullRequest(inTime, inState, inRaw, time, state, raw, kept)})
        """;

    /// <summary>The stored PR already says all the incoming version says: same time, state and object, and no kept column to fill.</summary>
    public static string SamePullRequest(string inTime, string inState, string inRaw, string time, string state, string raw,
        params (string Incoming, string Stored)[] kept) =>
        $"{inTime} IS NOT DISTINCT FROM {time} AND {inState} = {state} AND {inRaw} IS NOT DISTINCT FROM {raw}" + Kept(kept);

    /// <summary>
    /// A CI run: a later attempt wins; within an attempt the status never goes back (<c>status_rank</c>, from
    /// <c>Common.CiStatus.Rank</c>: pending → in_progress → finished); at the same rank the newer source time wins
    /// (a side without one does not block). The same version again (<see cref="SameCiRun"/>) writes nothing.
    /// </summary>
    public static string CiRunWins(string inAttempt, string inRank, string inStatus, string inTime, string inRaw,
        string attempt, string rank, string status, string time, string raw, params (string Incoming, string Stored)[] kept) => $"""
        ({inAttempt} > {attempt}
         OR ({inAttempt} = {attempt} AND {inRank} > {rank})
         OR ({inAttempt} = {attempt} AND {inRank} = {rank} AND ({time} IS NULL OR {inTime} IS NULL OR {inTime} >= {time})))
        AND NOT ({SameCiRun(inAttempt, inStatus, inTime, inRaw, attempt, status, time, raw, kept)})
        """;

    /// <summary>The stored run already says all the incoming version says: same attempt, status, time and object, and no kept column to fill.</summary>
    public static string SameCiRun(string inAttempt, string inStatus, string inTime, string inRaw,
        string attempt, string status, string time, string raw, params (string Incoming, string Stored)[] kept) =>
        $"{inAttempt} = {attempt} AND {inStatus} = {status} AND {inTime} IS NOT DISTINCT FROM {time} AND {inRaw} IS NOT DISTINCT FROM {raw}" + Kept(kept);

    // A kept column changes only when the incoming side has a value the stored one lacks or differs from.
    private static string Kept((string Incoming, string Stored)[] kept) =>
        string.Concat(kept.Select(k => $" AND COALESCE({k.Incoming}, {k.Stored}) IS NOT DISTINCT FROM {k.Stored}"));

    private static string StateRank(string state) => $"(CASE {state} WHEN 'merged' THEN 2 WHEN 'closed' THEN 1 ELSE 0 END)";
}
