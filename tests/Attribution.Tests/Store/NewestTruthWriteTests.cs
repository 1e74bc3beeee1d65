using System.Text.Json;
using Attribution.Store;
using Attribution.Tests.Infrastructure;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Attribution.Tests.Store;

/// <summary>
/// The one write of rows kept by the newest-truth rules (PRs, CI runs): each outcome on both dialects, and the SQLite
/// statements it prepares kept per connection across units of work, surviving a schema change, a failed row and a
/// cleared pool.
/// </summary>
public sealed class NewestTruthWriteTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private static PullRequestRow Pr(DateTimeOffset updated, string state = "open", string title = "Add the parser", string? author = "dev") => new()
    {
        Provider = "github",
        RepoSlug = "Acme/Widgets",
        PrNumber = 7,
        State = state,
        Title = title,
        Author = author,
        SourceUpdatedAt = updated,
        RawJson = JsonText.Of(JsonDocument.Parse($$"""{"number":7,"state":"{{state}}","title":"{{title}}","updated_at":"{{updated:O}}"}""").RootElement),
    };

    private static CiRunRow Run(int attempt, string status, DateTimeOffset? updated, DateTimeOffset? started = null) => new()
    {
        Provider = "github",
        RepoSlug = "Acme/Widgets",
        RunId = "991",
        CommitSha = "ABCDEF0123456789ABCDEF0123456789ABCDEF01",
        Status = status,
        RunAttempt = attempt,
        StartedTs = started,
        SourceUpdatedAt = updated,
        RawJson = $$"""{"id":991,"status":"{{status}}","run_attempt":{{attempt}}}""",
    };

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task PullRequest_InsertedUnchangedUpdatedStale_AndTheNewestIsKept(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = new PrStore(db.Connections, new FakeTimeProvider(T0));

        (await store.UpsertAsync(Pr(T0), CancellationToken.None)).Should().Be(UpsertOutcome.Inserted);
        (await store.UpsertAsync(Pr(T0), CancellationToken.None)).Should().Be(UpsertOutcome.Unchanged);
        (await store.UpsertAsync(Pr(T0.AddMinutes(5), "merged", "Add the parser (v2)"), CancellationToken.None)).Should().Be(UpsertOutcome.Updated);
        (await store.UpsertAsync(Pr(T0.AddMinutes(1), "closed"), CancellationToken.None)).Should().Be(UpsertOutcome.Stale);
        // The same version lacking a kept column (a source that names no author) changes nothing either.
        (await store.UpsertAsync(Pr(T0.AddMinutes(5), "merged", "Add the parser (v2)", author: null), CancellationToken.None)).Should().Be(UpsertOutcome.Unchanged);

        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        var stored = await connection.QuerySingleAsync<(string State, string Title, string Author, long Rows)>(
            "SELECT state, title, author, (SELECT count(*) FROM pr_outcomes) FROM pr_outcomes WHERE repo_slug = 'acme/widgets' AND pr_number = 7");
        stored.Should().Be(("merged", "Add the parser (v2)", "dev", 1L));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task CiRun_InsertedUnchangedUpdatedStale_WithAbsentTimes(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = new CiRunStore(db.Connections, new FakeTimeProvider(T0));

        // No source time and no start: typed nulls on PostgreSQL too.
        (await store.UpsertAsync(Run(1, "queued", null), CancellationToken.None)).Should().Be(UpsertOutcome.Inserted);
        (await store.UpsertAsync(Run(1, "queued", null), CancellationToken.None)).Should().Be(UpsertOutcome.Unchanged);
        (await store.UpsertAsync(Run(1, "success", T0.AddMinutes(3), T0), CancellationToken.None)).Should().Be(UpsertOutcome.Updated);
        (await store.UpsertAsync(Run(1, "in_progress", T0.AddMinutes(4), T0), CancellationToken.None)).Should().Be(UpsertOutcome.Stale);
        (await store.UpsertAsync(Run(2, "in_progress", T0.AddMinutes(9), T0.AddMinutes(8)), CancellationToken.None)).Should().Be(UpsertOutcome.Updated);

        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        var stored = await connection.QuerySingleAsync<(string Status, long Attempt, string Sha)>("SELECT status, run_attempt, commit_sha FROM ci_runs WHERE run_id = '991'");
        stored.Should().Be(("in_progress", 2L, "abcdef0123456789abcdef0123456789abcdef01"));
    }

    [Fact]
    public async Task Sqlite_StatementsAreKeptPerConnection_AcrossUnits_SchemaChanges_FailedRows_AndAClearedPool()
    {
        await using var db = await TestDatabase.CreateAsync("sqlite");
        var store = new PrStore(db.Connections, new FakeTimeProvider(T0));
        (await store.UpsertAsync(Pr(T0), CancellationToken.None)).Should().Be(UpsertOutcome.Inserted);
        var kept = await PreparedStatementsAsync(db);

        // Later units on the (one pooled) connection take the kept statements instead of preparing new ones.
        for (var minute = 1; minute <= 5; minute++)
        {
            (await store.UpsertAsync(Pr(T0.AddMinutes(minute)), CancellationToken.None)).Should().Be(UpsertOutcome.Updated);
        }

        var later = await PreparedStatementsAsync(db);
        later.Prepared.Should().Be(kept.Prepared);
        later.Kept.Should().BeEquivalentTo(kept.Kept);
        kept.Prepared.Should().Be(3, "the update, the same-version count and the upsert");
        kept.Kept.Should().Contain(sql => sql.StartsWith("UPDATE pr_outcomes SET", StringComparison.Ordinal));

        // A schema change: SQLite prepares a kept statement again by itself.
        await using (var connection = await db.Connections.OpenAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync("ALTER TABLE pr_outcomes ADD COLUMN note TEXT");
        }

        (await store.UpsertAsync(Pr(T0.AddMinutes(6)), CancellationToken.None)).Should().Be(UpsertOutcome.Updated);

        // A row that fails (state is NOT NULL) is rolled back; the statement it used goes back reset and works again.
        var failing = async () => await store.UpsertAsync(Pr(T0) with { PrNumber = 8, State = null! }, CancellationToken.None);
        await failing.Should().ThrowAsync<SqliteException>();
        (await store.UpsertAsync(Pr(T0) with { PrNumber = 8 }, CancellationToken.None)).Should().Be(UpsertOutcome.Inserted);

        // The pool closes its handles (their kept statements are finalized with them); new handles prepare afresh.
        SqliteConnection.ClearAllPools();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        (await store.UpsertAsync(Pr(T0.AddMinutes(7)), CancellationToken.None)).Should().Be(UpsertOutcome.Updated);
        (await store.UpsertAsync(Pr(T0.AddMinutes(7)), CancellationToken.None)).Should().Be(UpsertOutcome.Unchanged);

        await using var check = await db.Connections.OpenAsync(CancellationToken.None);
        (await check.ExecuteScalarAsync<long>("SELECT count(*) FROM pr_outcomes")).Should().Be(2);
        (await check.ExecuteScalarAsync<string>("SELECT source_updated_at FROM pr_outcomes WHERE pr_number = 7")).Should().StartWith("2026-11-02T09:07:00");
    }

    // The statement cache of the pooled connection's handle.
    private static async Task<(int Prepared, IReadOnlyList<string> Kept)> PreparedStatementsAsync(TestDatabase db)
    {
        await using var connection = (SqliteConnection)await db.Connections.OpenAsync(CancellationToken.None);
        var cache = SqliteStatementCache.Of(connection.Handle!);
        return (cache.Prepared, cache.Kept);
    }
}
