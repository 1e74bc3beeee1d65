using System.Data.Common;

namespace Attribution.Store;

/// <summary>Opens ready-to-use connections to the configured database.</summary>
public interface IDbConnectionFactory
{
    SqlDialect Dialect { get; }

    /// <summary>Opens a connection with the session settings applied (SQLite pragmas, PostgreSQL defaults).</summary>
    Task<DbConnection> OpenAsync(CancellationToken cancellationToken);
}
