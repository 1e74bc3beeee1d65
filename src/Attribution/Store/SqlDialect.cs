namespace Attribution.Store;

/// <summary>The two SQL dialects the store speaks.</summary>
public enum SqlDialect
{
    Sqlite,
    Postgres,
}
