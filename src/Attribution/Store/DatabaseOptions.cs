using System.ComponentModel.DataAnnotations;

namespace Attribution.Store;

/// <summary>Database settings (<c>ATTRIBUTION_DB_PROVIDER</c>, <c>ATTRIBUTION_DB</c>).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Attribution:Database";

    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    [Required]
    public string Provider { get; set; } = "sqlite";

    /// <summary>SQLite file path, or a PostgreSQL connection string in Npgsql form.</summary>
    [Required]
    public string Connection { get; set; } = "data/attribution.db";

    /// <summary>Keep read answers until the database changes (SQLite only; see <c>Store/ReadCache.cs</c>). Off for measurements.</summary>
    public bool ReadCache { get; set; } = true;
}
