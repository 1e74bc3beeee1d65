namespace Attribution.Tests.Infrastructure;

/// <summary>A test that needs PostgreSQL itself: runs only when <c>ATTRIBUTION_TEST_PG</c> is set (skipped, not passed, otherwise).</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(TestProviders.PostgresAdminConnection))
        {
            Skip = "needs PostgreSQL: set ATTRIBUTION_TEST_PG";
        }
    }
}
