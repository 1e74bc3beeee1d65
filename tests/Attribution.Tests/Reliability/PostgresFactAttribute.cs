using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Reliability;

/// <summary>A test that needs PostgreSQL (several instances on one database): runs only when <c>ATTRIBUTION_TEST_PG</c> is set.</summary>
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
