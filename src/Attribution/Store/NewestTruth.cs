namespace Attribution.Store;

/// <summary>
/// The one rule by which a webhook delivery and a REST backfill, written in any order and replayed any number of
/// times, leave the newest truth in <c>pr_outcomes</c> and <c>ci_runs</c>. Each rule is a SQL condition, true when
/// the incoming version replaces the stored one, so the write that tests it cannot race another writer. The
/// arguments name the SQL expressions of the incoming and the stored values (parameters, <c>excluded.*</c> or columns).
/// </summary>
public static class NewestTruth
{
    /// <summary>
    /// A pull request: a newer provider <c>updated_at</c> wins; a stored row without one always yields; at the same
    /// time the further state wins (merged &gt; closed &gt; open), so a replay of an earlier event at the same second
    /// cannot reopen a merged PR. The same version again (same time, state and raw object) writes nothing.
    /// </summary>
    public static string PullRequestWins(string inTime, string inState, string inRaw, string time, string state, string raw) => $"""
        ({time} IS NULL
         OR ({inTime} IS NOT NULL AND {inTime} > {time})
         OR ({inTime} IS NOT NULL AND {inTime} = {time} AND {StateRank(inState)} >= {StateRank(state)}))
        AND NOT ({inTime} IS NOT DISTINCT FROM {time} AND {inState} = {state} AND {inRaw} IS NOT DISTINCT FROM {raw})
        """;

    /// <summary>
    /// A CI run: a later attempt wins; within an attempt the status never goes back (<c>status_rank</c>, from
    /// <c>Common.CiStatus.Rank</c>: pending → in_progress → finished); at the same rank the newer source time wins
    /// (a side without one does not block). The same version again (attempt, status, time, raw) writes nothing.
    /// </summary>
    public static string CiRunWins(string inAttempt, string inRank, string inStatus, string inTime, string inRaw,
        string attempt, string rank, string status, string time, string raw) => $"""
        ({inAttempt} > {attempt}
         OR ({inAttempt} = {attempt} AND {inRank} > {rank})
         OR ({inAttempt} = {attempt} AND {inRank} = {rank} AND ({time} IS NULL OR {inTime} IS NULL OR {inTime} >= {time})))
        AND NOT ({inAttempt} = {attempt} AND {inStatus} = {status} AND {inTime} IS NOT DISTINCT FROM {time} AND {inRaw} IS NOT DISTINCT FROM {raw})
        """;

    private static string StateRank(string state) => $"(CASE {state} WHEN 'merged' THEN 2 WHEN 'closed' THEN 1 ELSE 0 END)";
}
