using Attribution.Common;
using Dapper;

namespace Attribution.Store;

/// <summary>Decisions recorded over CSTP, their reviews (by hand or by outcome attribution), and reported bugs.</summary>
public sealed class DecisionStore(IDbConnectionFactory connections)
{
    private const string Columns = """
        id AS Id, summary AS Summary, confidence AS Confidence, category AS Category, stakes AS Stakes, agent AS Agent,
        context AS Context, project AS Project, feature AS Feature, pr_number AS PrNumber, file_path AS FilePath, line AS Line,
        commit_sha AS CommitSha, created_ts AS CreatedTs, outcome AS Outcome, outcome_source AS OutcomeSource,
        outcome_reason AS OutcomeReason, reviewed_ts AS ReviewedTs
        """;

    private const string InsertSql = """
        INSERT INTO decisions (id, summary, confidence, category, stakes, agent, context, project, feature, pr_number,
                               file_path, line, commit_sha, created_ts)
        VALUES (@Id, @Summary, @Confidence, @Category, @Stakes, @Agent, @Context, @Project, @Feature, @PrNumber,
                @FilePath, @Line, @CommitSha, @CreatedTs)
        ON CONFLICT (id) DO NOTHING
        """;

    /// <summary>Inserts a new decision; false when the id is taken (the caller draws another).</summary>
    public async Task<bool> InsertAsync(DecisionRecord decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decision);
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.ExecuteAsync(new CommandDefinition(InsertSql, decision with { Project = Slug(decision.Project) },
            cancellationToken: cancellationToken));
        return rows == 1;
    }

    private const string FindSql = "SELECT " + Columns + " FROM decisions WHERE id = @Id";

    private const string FindByPrefixSql = "SELECT id FROM decisions WHERE substr(id, 1, @Length) = @Prefix ORDER BY id LIMIT 10";

    /// <summary>Ids starting with <paramref name="prefix"/> (at most 10, sorted): CSTP clients look decisions up by id prefix.</summary>
    public async Task<IReadOnlyList<string>> FindIdsByPrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(FindByPrefixSql, new { Prefix = prefix, Length = prefix.Length },
            cancellationToken: cancellationToken))).AsList();
    }

    public async Task<DecisionRecord?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<DecisionRecord>(new CommandDefinition(FindSql, new { Id = id }, cancellationToken: cancellationToken));
    }

    private const string ReviewSql = """
        UPDATE decisions SET outcome = @Outcome, outcome_source = 'review', outcome_reason = @Reason, reviewed_ts = @Now
        WHERE id = @Id
        """;

    private const string UpsertReviewSql = """
        INSERT INTO decision_reviews (decision_id, source, outcome, verdict, reason, bug_id, reviewed_ts)
        VALUES (@Id, @Source, @Outcome, @Verdict, @Reason, @BugId, @Now)
        ON CONFLICT (decision_id, source) DO UPDATE SET
            outcome = excluded.outcome, verdict = excluded.verdict, reason = excluded.reason, bug_id = excluded.bug_id,
            reviewed_ts = excluded.reviewed_ts
        """;

    /// <summary>A review by hand: it sets the outcome and is never overwritten by attribution. False when the id is unknown.</summary>
    public async Task<bool> ReviewAsync(string id, string outcome, string? reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var unit = await connections.BeginAsync(cancellationToken);
        var rows = await unit.Connection.ExecuteAsync(new CommandDefinition(ReviewSql,
            new { Id = id, Outcome = outcome, Reason = reason, Now = now }, unit.Transaction, cancellationToken: cancellationToken));
        if (rows == 0)
        {
            return false;
        }

        await unit.Connection.ExecuteAsync(new CommandDefinition(UpsertReviewSql,
            new { Id = id, Source = "review", Outcome = outcome, Verdict = (string?)null, Reason = reason, BugId = (string?)null, Now = now },
            unit.Transaction, cancellationToken: cancellationToken));
        await unit.CommitAsync(cancellationToken);
        return true;
    }

    private const string ApplyAttributionSql = """
        UPDATE decisions SET outcome = @Outcome, outcome_source = 'attribution', outcome_reason = @Reason, reviewed_ts = @Now
        WHERE id = @Id AND (outcome_source IS NULL OR outcome_source = 'attribution')
          AND (outcome IS NULL OR outcome <> @Outcome OR outcome_reason IS NULL OR outcome_reason <> @Reason)
        """;

    /// <summary>
    /// Writes attributed outcomes in one transaction; decisions reviewed by hand keep their review. Rows whose
    /// outcome and reason are already these are left alone, so a re-run changes nothing. Returns rows changed.
    /// </summary>
    public async Task<int> ApplyAttributionAsync(IReadOnlyList<AttributedOutcome> outcomes, IReadOnlyList<string> missedBugIds, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(missedBugIds);
        await using var unit = await connections.BeginAsync(cancellationToken);
        var changed = 0;
        foreach (var o in outcomes)
        {
            var rows = await unit.Connection.ExecuteAsync(new CommandDefinition(ApplyAttributionSql,
                new { Id = o.DecisionId, o.Outcome, o.Reason, Now = now }, unit.Transaction, cancellationToken: cancellationToken));
            if (rows > 0)
            {
                changed += rows;
                await unit.Connection.ExecuteAsync(new CommandDefinition(UpsertReviewSql,
                    new { Id = o.DecisionId, Source = "attribution", o.Outcome, o.Verdict, o.Reason, o.BugId, Now = now },
                    unit.Transaction, cancellationToken: cancellationToken));
            }
        }

        foreach (var bugId in missedBugIds)
        {
            changed += await unit.Connection.ExecuteAsync(new CommandDefinition(MarkMissedSql, new { Id = bugId, Now = now },
                unit.Transaction, cancellationToken: cancellationToken));
        }

        await unit.CommitAsync(cancellationToken);
        return changed;
    }

    private const string MarkMissedSql = "UPDATE bug_reports SET missed = 1, attributed_ts = @Now WHERE id = @Id AND missed = 0";

    private const string QuerySql = "SELECT " + Columns + " FROM decisions WHERE 1 = 1";

    /// <summary>Decisions matching the filter, newest first.</summary>
    public async Task<IReadOnlyList<DecisionRecord>> QueryAsync(DecisionFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var sql = new SqlFilter(QuerySql)
            .And("project = @Project", "Project", Slug(filter.Project))
            .And("feature = @Feature", "Feature", filter.Feature)
            .And("category = @Category", "Category", filter.Category)
            .And("agent = @Agent", "Agent", filter.Agent)
            .And("pr_number = @Pr", "Pr", filter.Pr)
            .Append(filter.HasOutcome switch { true => " AND outcome IS NOT NULL", false => " AND outcome IS NULL", null => "" })
            .And("created_ts >= @Since", "Since", filter.Since)
            .And("created_ts <= @Until", "Until", filter.Until)
            .And(SqlLists.Any(connections.Dialect, "stakes = ANY(@Stakes)"), "Stakes", filter.Stakes is { Count: > 0 } stakes ? stakes.ToArray() : null)
            .And("confidence >= @MinConfidence", "MinConfidence", filter.MinConfidence)
            .And("confidence <= @MaxConfidence", "MaxConfidence", filter.MaxConfidence)
            .Append(" ORDER BY created_ts DESC, id LIMIT @Limit")
            .With("Limit", (long)filter.Limit);
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<DecisionRecord>(new CommandDefinition(sql.ToString(), sql.Parameters, cancellationToken: cancellationToken))).AsList();
    }

    private const string ForCommitSql = "SELECT " + Columns + """
         FROM decisions
        WHERE project = @Repo AND commit_sha IS NOT NULL AND commit_sha = substr(@Sha, 1, length(commit_sha))
        ORDER BY created_ts, id
        """;

    /// <summary>Decisions recorded on a commit (their <c>commit</c> is the full sha or an abbreviation of it).</summary>
    public async Task<IReadOnlyList<DecisionRecord>> ListForCommitAsync(string repo, string sha, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<DecisionRecord>(new CommandDefinition(ForCommitSql,
            new { Repo = RepoSlug.Normalize(repo), Sha = sha.Trim().ToLowerInvariant() }, cancellationToken: cancellationToken))).AsList();
    }

    private const string ForPrSql = "SELECT " + Columns + " FROM decisions WHERE project = @Repo AND pr_number = @Number ORDER BY created_ts, id";

    /// <summary>Decisions recorded on a pull/merge request of a repository.</summary>
    public async Task<IReadOnlyList<DecisionRecord>> ListForPrAsync(string repo, long number, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<DecisionRecord>(new CommandDefinition(ForPrSql,
            new { Repo = RepoSlug.Normalize(repo), Number = number }, cancellationToken: cancellationToken))).AsList();
    }

    private const string ForFileSql = "SELECT " + Columns + " FROM decisions WHERE project = @Repo AND file_path = @Path ORDER BY created_ts, id";

    /// <summary>Decisions recorded on a file of a repository (any line).</summary>
    public async Task<IReadOnlyList<DecisionRecord>> ListForFileAsync(string repo, string path, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<DecisionRecord>(new CommandDefinition(ForFileSql,
            new { Repo = RepoSlug.Normalize(repo), Path = path }, cancellationToken: cancellationToken))).AsList();
    }

    private const string InsertBugSql = """
        INSERT INTO bug_reports (id, project, file_path, line, origin_line, introducing_sha, pr_number, at_commit, description,
                                 frames_json, reported_ts, missed)
        VALUES (@Id, @Project, @FilePath, @Line, @OriginLine, @IntroducingSha, @PrNumber, @AtCommit, @Description,
                @FramesJson, @ReportedTs, 0)
        ON CONFLICT (id) DO NOTHING
        """;

    /// <summary>Stores a bug report; false when the id is taken.</summary>
    public async Task<bool> InsertBugAsync(BugReportRecord bug, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bug);
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(InsertBugSql, bug with { Project = RepoSlug.Normalize(bug.Project) },
            cancellationToken: cancellationToken)) == 1;
    }

    private const string BugsSql = """
        SELECT id AS Id, project AS Project, file_path AS FilePath, line AS Line, origin_line AS OriginLine,
               introducing_sha AS IntroducingSha, pr_number AS PrNumber, at_commit AS AtCommit, description AS Description,
               frames_json AS FramesJson, reported_ts AS ReportedTs, missed AS Missed
        FROM bug_reports WHERE project = @Repo AND reported_ts >= @Since ORDER BY reported_ts, id
        """;

    /// <summary>Bug reports of a repository reported at or after <paramref name="since"/>, oldest first.</summary>
    public async Task<IReadOnlyList<BugReportRecord>> ListBugsAsync(string repo, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<BugReportRecord>(new CommandDefinition(BugsSql,
            new { Repo = RepoSlug.Normalize(repo), Since = since }, cancellationToken: cancellationToken))).AsList();
    }

    private static string? Slug(string? project) => project is null ? null : RepoSlug.Normalize(project);
}
