using Attribution.Store;
using Attribution.Tests.Infrastructure;
using Dapper;
using Attribution.Tests.Hosting;

namespace Attribution.Tests.Store;

public sealed class MigrationRunnerTests
{
    private static readonly string[] CoreTables =
    [
        "repositories", "webhook_deliveries", "ingest_cursors", "pr_outcomes", "ci_runs", "commits", "commit_files",
        "pr_commits", "sessions", "session_events", "commit_session_link",
    ];

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Migrate_FreshDatabase_CreatesEveryTableAndJournalsEachScript(string provider)
    {
        await using var db = await TestDatabase.CreateEmptyAsync(provider);
        var runner = new MigrationRunner(db.Connections);

        var result = await runner.MigrateAsync(CancellationToken.None);

        var embedded = MigrationSource.Embedded(db.Connections.Dialect);
        result.Applied.Should().HaveCount(embedded.Count);
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        var journal = (await connection.QueryAsync<string>("SELECT version FROM schema_migrations ORDER BY version")).ToList();
        journal.Should().Equal(embedded.Select(m => m.Version));
        foreach (var table in CoreTables)
        {
            var count = await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}");
            count.Should().Be(0, $"table {table} exists and is empty");
        }
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Migrate_CiRunsPerRepository_KeepsEveryStoredRunAndItsId(string provider)
    {
        // 0017 re-keys ci_runs on (provider, repo_slug, run_id); SQLite rebuilds the table to do it.
        await using var db = await TestDatabase.CreateEmptyAsync(provider);
        var runner = await MigratedBefore.MigrateAsync(db, "0017");
        const string insert = """
            INSERT INTO ci_runs (provider, repo_slug, run_id, commit_sha, status, status_rank, run_attempt, raw_json, updated_ts)
            VALUES (@Provider, @Repo, @RunId, 'abc', @Status, 2, 1, '{}', '2026-11-01T00:00:00.0000000Z')
            """;
        await using (var connection = await db.Connections.OpenAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync(insert, new { Provider = "jenkins", Repo = "acme/api", RunId = "42", Status = "failure" });
            await connection.ExecuteAsync(insert, new { Provider = "github-actions", Repo = "acme/web", RunId = "run:7", Status = "success" });
        }

        (await runner.MigrateAsync(CancellationToken.None)).Applied.Should().Contain(a => a.StartsWith("0017", StringComparison.Ordinal));

        await using var check = await db.Connections.OpenAsync(CancellationToken.None);
        var kept = (await check.QueryAsync<(long Id, string Provider, string Repo, string Status)>(
            "SELECT id, provider, repo_slug, status FROM ci_runs ORDER BY id")).ToList();
        kept.Select(r => (r.Provider, r.Repo, r.Status)).Should().Equal(("jenkins", "acme/api", "failure"), ("github-actions", "acme/web", "success"));
        await check.ExecuteAsync(insert, new { Provider = "jenkins", Repo = "acme/worker", RunId = "42", Status = "success" });
        (await check.ExecuteScalarAsync<long>("SELECT count(*) FROM ci_runs WHERE run_id = '42'")).Should().Be(2, "another project's build 42 is its own run");
        var duplicate = async () => await check.ExecuteAsync(insert, new { Provider = "jenkins", Repo = "acme/api", RunId = "42", Status = "success" });
        await duplicate.Should().ThrowAsync<System.Data.Common.DbException>("a repository still has one run per id");
        (await check.QueryAsync<long>("SELECT id FROM ci_runs WHERE repo_slug <> 'acme/worker' ORDER BY id")).Should().Equal(kept.Select(r => r.Id));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Migrate_SecondRun_IsANoOp(string provider)
    {
        await using var db = await TestDatabase.CreateEmptyAsync(provider);
        var runner = new MigrationRunner(db.Connections);
        await runner.MigrateAsync(CancellationToken.None);

        var second = await runner.MigrateAsync(CancellationToken.None);

        second.Applied.Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Migrate_EditedAppliedScript_IsRefusedWithClearError(string provider)
    {
        await using var db = await TestDatabase.CreateEmptyAsync(provider);
        var runner = new MigrationRunner(db.Connections);
        var original = new Migration("0001", "first", "CREATE TABLE t1 (id INTEGER PRIMARY KEY);");
        await runner.MigrateAsync([original], CancellationToken.None);

        var edited = original with { Sql = "CREATE TABLE t1 (id INTEGER PRIMARY KEY, extra TEXT);" };
        var act = () => runner.MigrateAsync([edited], CancellationToken.None);

        (await act.Should().ThrowAsync<MigrationException>())
            .Which.Message.Should().Contain("0001_first").And.Contain("edited after it was applied");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Migrate_FailingScript_RollsBackAndLeavesNoJournalRow(string provider)
    {
        await using var db = await TestDatabase.CreateEmptyAsync(provider);
        var runner = new MigrationRunner(db.Connections);
        var good = new Migration("0001", "good", "CREATE TABLE t1 (id INTEGER PRIMARY KEY);");
        var bad = new Migration("0002", "bad", "CREATE TABLE t2 (id INTEGER PRIMARY KEY); INSERT INTO no_such_table VALUES (1);");

        var act = () => runner.MigrateAsync([good, bad], CancellationToken.None);

        await act.Should().ThrowAsync<MigrationException>().WithMessage("*0002_bad failed*");
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        (await connection.QueryAsync<string>("SELECT version FROM schema_migrations")).Should().Equal("0001");
        var t2 = async () => await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM t2");
        await t2.Should().ThrowAsync<Exception>("the failed script's table was rolled back");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Migrate_TwoRunnersAtOnce_ApplyEachScriptOnce(string provider)
    {
        await using var db = await TestDatabase.CreateEmptyAsync(provider);
        await using var second = new DbConnectionFactory(db.Options);
        var a = new MigrationRunner(db.Connections);
        var b = new MigrationRunner(second);

        var results = await Task.WhenAll(a.MigrateAsync(CancellationToken.None), b.MigrateAsync(CancellationToken.None));

        var embedded = MigrationSource.Embedded(db.Connections.Dialect);
        (results[0].Applied.Count + results[1].Applied.Count).Should().Be(embedded.Count);
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM schema_migrations")).Should().Be(embedded.Count);
    }

    [Fact]
    public void Embedded_BothDialects_HaveTheSameNumbering()
    {
        var sqlite = MigrationSource.Embedded(SqlDialect.Sqlite).Select(m => $"{m.Version}_{m.Name}");
        var postgres = MigrationSource.Embedded(SqlDialect.Postgres).Select(m => $"{m.Version}_{m.Name}");

        sqlite.Should().NotBeEmpty().And.Equal(postgres);
    }

    [Theory]
    [InlineData("0001_foundation.sql", "0001", "foundation")]
    [InlineData("0012_add_things.sql", "0012", "add_things")]
    public void FromFile_NumberedName_ParsesVersionAndName(string file, string version, string name)
    {
        var migration = Migration.FromFile(file, "SELECT 1;");

        migration.Version.Should().Be(version);
        migration.Name.Should().Be(name);
    }

    [Theory]
    [InlineData("foundation.sql")]
    [InlineData("1_x.sql")]
    [InlineData("abcd_x.sql")]
    public void FromFile_BadName_Throws(string file)
    {
        var act = () => Migration.FromFile(file, "SELECT 1;");

        act.Should().Throw<InvalidOperationException>();
    }
}
