namespace Attribution.Tests.Infrastructure;

/// <summary>
/// The database providers every store and integration test runs on: SQLite always, PostgreSQL when
/// <c>ATTRIBUTION_TEST_PG</c> holds an admin connection string (each test database is created and dropped).
/// </summary>
public static class TestProviders
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static string? PostgresAdminConnection => Environment.GetEnvironmentVariable("ATTRIBUTION_TEST_PG");

    public static IEnumerable<object[]> All
    {
        get
        {
            yield return [Sqlite];
            if (!string.IsNullOrWhiteSpace(PostgresAdminConnection))
            {
                yield return [Postgres];
            }
        }
    }
}
