using System.Data;
using Attribution.Common;
using Dapper;

namespace Attribution.Store;

/// <summary>
/// Pull/merge requests (<c>pr_outcomes</c>) and their commits (<c>pr_commits</c>): the one writer for every source
/// (webhooks, REST backfill). Upserts keep the newest truth (<see cref="NewestTruth"/>): an older version never
/// overwrites a newer one; columns other features own (reverted_at, linked sessions, downstream touches) are never touched.
/// </summary>
public sealed class PrStore(IDbConnectionFactory connections, TimeProvider time)
{
    private static readonly string[] KeptColumns = ["author", "url", "head_ref", "head_sha", "base_ref", "created_at"];

    private static (string, string)[] Kept(Func<string, string> incoming, Func<string, string> stored) =>
        [.. KeptColumns.Select(c => (incoming(c), stored(c)))];

    private static string Parameter(string column) => "@" + string.Concat(column.Split('_').Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    // Author, url, refs, head sha and creation time are kept when a source lacks them (a GitLab delivery names only
    // the author's id); NewestTruth decides whether the incoming version replaces the stored one.
    private static readonly string UpsertSql = """
        INSERT INTO pr_outcomes (provider, repo_slug, pr_number, title, state, merged_at, author, url, head_ref, head_sha, base_ref,
                                 merge_commit_sha, body, created_at, closed_at, source_updated_at, raw_json, updated_ts)
        VALUES (@Provider, @RepoSlug, @Number, @Title, @State, @MergedAt, @Author, @Url, @HeadRef, @HeadSha, @BaseRef,
                @MergeCommitSha, @Body, @CreatedAt, @ClosedAt, @SourceUpdatedAt, @RawJson, @Now)
        ON CONFLICT (provider, repo_slug, pr_number) DO UPDATE SET
            title = excluded.title, state = excluded.state, merged_at = excluded.merged_at,
            author = COALESCE(excluded.author, pr_outcomes.author), url = COALESCE(excluded.url, pr_outcomes.url),
            head_ref = COALESCE(excluded.head_ref, pr_outcomes.head_ref), head_sha = COALESCE(excluded.head_sha, pr_outcomes.head_sha),
            base_ref = COALESCE(excluded.base_ref, pr_outcomes.base_ref), merge_commit_sha = excluded.merge_commit_sha,
            body = excluded.body, created_at = COALESCE(excluded.created_at, pr_outcomes.created_at), closed_at = excluded.closed_at,
            source_updated_at = excluded.source_updated_at, raw_json = excluded.raw_json, updated_ts = excluded.updated_ts
        WHERE
        """ + NewestTruth.PullRequestWins("excluded.source_updated_at", "excluded.state", "excluded.raw_json",
            "pr_outcomes.source_updated_at", "pr_outcomes.state", "pr_outcomes.raw_json", Kept(c => "excluded." + c, c => "pr_outcomes." + c));

    /// <summary>Inserts or updates a PR in its own unit of work (see the overload).</summary>
    public async Task<UpsertOutcome> UpsertAsync(PullRequestRow pr, CancellationToken cancellationToken)
    {
        await using var unit = await connections.BeginAsync(cancellationToken);
        var outcome = await UpsertAsync(unit, pr, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        return outcome;
    }

    // The same update as the upsert's, for a PR that is already stored (most events are about one): the upsert would
    // build the whole new row (its raw_json too) for an INSERT only to find the conflict and build it again.
    private static readonly string UpdateSql = """
        UPDATE pr_outcomes SET
            title = @Title, state = @State, merged_at = @MergedAt,
            author = COALESCE(@Author, author), url = COALESCE(@Url, url),
            head_ref = COALESCE(@HeadRef, head_ref), head_sha = COALESCE(@HeadSha, head_sha),
            base_ref = COALESCE(@BaseRef, base_ref), merge_commit_sha = @MergeCommitSha,
            body = @Body, created_at = COALESCE(@CreatedAt, created_at), closed_at = @ClosedAt,
            source_updated_at = @SourceUpdatedAt, raw_json = @RawJson, updated_ts = @Now
        WHERE provider = @Provider AND repo_slug = @RepoSlug AND pr_number = @Number AND
        """ + NewestTruth.PullRequestWins("@SourceUpdatedAt", "@State", "@RawJson", "source_updated_at", "state", "raw_json", Kept(Parameter, c => c));

    // The stored row says all the incoming version says (see NewestTruthWrite).
    private static readonly string SameVersionSql = "SELECT count(*) FROM pr_outcomes WHERE provider = @Provider AND repo_slug = @RepoSlug AND pr_number = @Number AND "
        + NewestTruth.SamePullRequest("@SourceUpdatedAt", "@State", "@RawJson", "source_updated_at", "state", "raw_json", Kept(Parameter, c => c));

    /// <summary>
    /// Inserts or updates a PR inside the caller's unit of work, for webhooks and REST backfill alike, keeping the newest
    /// truth (<see cref="NewestTruth.PullRequestWins"/>, written as <see cref="NewestTruthWrite"/> says).
    /// </summary>
    public async Task<UpsertOutcome> UpsertAsync(UnitOfWork unit, PullRequestRow pr, CancellationToken cancellationToken)
    {
        var merged = pr.State == "merged";
        object?[] values =
        [
            pr.Provider, RepoSlug.Normalize(pr.RepoSlug), pr.PrNumber, pr.Title, pr.State, pr.MergedAt, pr.Author, pr.Url, pr.HeadRef,
            pr.HeadSha?.ToLowerInvariant(), pr.BaseRef, merged ? pr.MergeCommitSha?.ToLowerInvariant() : null, pr.Body, pr.CreatedAt, pr.ClosedAt,
            pr.SourceUpdatedAt, pr.RawJson, time.GetUtcNow(),
        ];
        return await Write.RunAsync(unit, values, cancellationToken);
    }

    private static readonly (string, DbType)[] UpsertParameters =
    [
        ("Provider", DbType.String), ("RepoSlug", DbType.String), ("Number", DbType.Int64), ("Title", DbType.String), ("State", DbType.String),
        ("MergedAt", DbType.String), ("Author", DbType.String), ("Url", DbType.String), ("HeadRef", DbType.String), ("HeadSha", DbType.String),
        ("BaseRef", DbType.String), ("MergeCommitSha", DbType.String), ("Body", DbType.String), ("CreatedAt", DbType.String),
        ("ClosedAt", DbType.String), ("SourceUpdatedAt", DbType.String), ("RawJson", DbType.String), ("Now", DbType.String),
    ];

    private static readonly NewestTruthWrite Write = new(UpdateSql, SameVersionSql, UpsertSql, UpsertParameters,
        "Provider", "RepoSlug", "Number", "SourceUpdatedAt", "State", "RawJson", "Author", "Url", "HeadRef", "HeadSha", "BaseRef", "CreatedAt");

    private const string AddCommitSql = """
        INSERT INTO pr_commits (provider, repo_slug, pr_number, sha, source) VALUES (@Provider, @RepoSlug, @Number, @Sha, @Source)
        ON CONFLICT (provider, repo_slug, pr_number, sha) DO NOTHING
        """;

    /// <summary>
    /// Adds commits to a PR's membership (first source kept: <c>webhook</c>, <c>push</c>, <c>api</c> or <c>git</c>);
    /// returns how many were new.
    /// </summary>
    public async Task<int> AddCommitsAsync(string provider, string repoSlug, long number, IReadOnlyList<string> shas, string source, CancellationToken cancellationToken)
    {
        if (shas.Count == 0)
        {
            return 0;
        }

        await using var unit = await connections.BeginAsync(cancellationToken);
        var added = await InsertCommitsAsync(unit, provider, repoSlug, number, shas, source, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        return added;
    }

    /// <summary>Adds commits to a PR's membership inside the caller's unit of work.</summary>
    public Task<int> AddCommitsAsync(UnitOfWork unit, string provider, string repoSlug, long number, IReadOnlyList<string> shas, string source, CancellationToken cancellationToken) =>
        InsertCommitsAsync(unit, provider, repoSlug, number, shas, source, cancellationToken);

    /// <summary>The one insert of <c>pr_commits</c> (also behind <see cref="LinkStore.AddPrCommitsAsync"/>).</summary>
    internal static async Task<int> InsertCommitsAsync(UnitOfWork unit, string provider, string repoSlug, long number, IReadOnlyList<string> shas, string source, CancellationToken cancellationToken)
    {
        var added = 0;
        var slug = RepoSlug.Normalize(repoSlug);
        foreach (var sha in shas.Select(s => s.ToLowerInvariant()).Distinct(StringComparer.Ordinal))
        {
            added += await unit.Prepared(AddCommitSql, ("Provider", DbType.String), ("RepoSlug", DbType.String), ("Number", DbType.Int64), ("Sha", DbType.String), ("Source", DbType.String))
                .ExecuteAsync(cancellationToken, provider, slug, number, sha, source);
        }

        return added;
    }

    private const string OpenByHeadRefSql = """
        SELECT pr_number FROM pr_outcomes WHERE provider = @Provider AND repo_slug = @RepoSlug AND head_ref = @HeadRef AND state = 'open'
        ORDER BY pr_number
        """;

    /// <summary>Numbers of the open PRs of a repository whose head branch is <paramref name="headRef"/>.</summary>
    public async Task<IReadOnlyList<long>> FindOpenByHeadRefAsync(UnitOfWork unit, string provider, string repoSlug, string headRef, CancellationToken cancellationToken)
    {
        var rows = await unit.Connection.QueryAsync<long>(new CommandDefinition(OpenByHeadRefSql, new { Provider = provider, RepoSlug = RepoSlug.Normalize(repoSlug), HeadRef = headRef }, unit.Transaction, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    private const string MarkRevertedSql = """
        UPDATE pr_outcomes SET reverted_at = @RevertedAt, reverted_by_pr = @RevertedByPr, updated_ts = @Now
        WHERE provider = @Provider AND repo_slug = @RepoSlug AND pr_number = @Number
          AND (reverted_at IS NULL OR reverted_at > @RevertedAt)
        """;

    /// <summary>As the overload, in its own unit of work.</summary>
    public async Task<bool> MarkRevertedAsync(string provider, string repoSlug, long number, DateTimeOffset revertedAt, long revertedByPr, CancellationToken cancellationToken)
    {
        await using var unit = await connections.BeginAsync(cancellationToken);
        var marked = await MarkRevertedAsync(unit, provider, repoSlug, number, revertedAt, revertedByPr, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        return marked;
    }

    /// <summary>Records that PR <paramref name="number"/> was reverted by PR <paramref name="revertedByPr"/> (the earliest revert is kept); false when PR N is unknown.</summary>
    public async Task<bool> MarkRevertedAsync(UnitOfWork unit, string provider, string repoSlug, long number, DateTimeOffset revertedAt, long revertedByPr, CancellationToken cancellationToken)
    {
        var rows = await unit.Connection.ExecuteAsync(new CommandDefinition(MarkRevertedSql, new
        {
            Provider = provider,
            RepoSlug = RepoSlug.Normalize(repoSlug),
            Number = number,
            RevertedAt = revertedAt,
            RevertedByPr = revertedByPr,
            Now = time.GetUtcNow(),
        }, unit.Transaction, cancellationToken: cancellationToken));
        return rows > 0;
    }

    private const string GetSql = """
        SELECT provider, repo_slug, pr_number, state, title, author, url, body, head_ref, head_sha, base_ref, merge_commit_sha,
               merged_at, reverted_at, reverted_by_pr, created_at, closed_at, source_updated_at, downstream_touch_count, last_downstream_touch_ts
        FROM pr_outcomes WHERE provider = @Provider AND repo_slug = @RepoSlug AND pr_number = @Number
        """;

    /// <summary>One stored PR, or null.</summary>
    public async Task<PullRequestRow?> GetAsync(string provider, string repoSlug, long number, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<PullRequestRow>(new CommandDefinition(GetSql, new { Provider = provider, RepoSlug = RepoSlug.Normalize(repoSlug), Number = number }, cancellationToken: cancellationToken));
    }
}
