using System.Data.Common;

namespace Attribution.Store;

/// <summary>
/// A connection with an open transaction, for work that must commit together (a delivery and its
/// effects, a batch of commits). SQLite transactions are immediate (write lock taken at BEGIN).
/// </summary>
public sealed class UnitOfWork : IAsyncDisposable
{
    private UnitOfWork(DbConnection connection, DbTransaction transaction, SqlDialect dialect)
    {
        Connection = connection;
        Transaction = transaction;
        Dialect = dialect;
    }

    public DbConnection Connection { get; }

    public DbTransaction Transaction { get; }

    public SqlDialect Dialect { get; }

    public static async Task<UnitOfWork> BeginAsync(IDbConnectionFactory connections, CancellationToken cancellationToken)
    {
        var connection = await connections.OpenAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            return new UnitOfWork(connection, transaction, connections.Dialect);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public Task CommitAsync(CancellationToken cancellationToken) => Transaction.CommitAsync(cancellationToken);

    private Dictionary<string, RowStatement>? _prepared;

    /// <summary>
    /// The statement <paramref name="sql"/> built once for this unit of work and reused by every later call with the
    /// same text (hot row-at-a-time writes: no per-call SQL compilation or parameter reflection).
    /// </summary>
    internal RowStatement Prepared(string sql, params (string Name, System.Data.DbType Type)[] columns)
    {
        _prepared ??= new Dictionary<string, RowStatement>(StringComparer.Ordinal);
        if (!_prepared.TryGetValue(sql, out var command))
        {
            command = new RowStatement(this, sql, columns);
            _prepared.Add(sql, command);
        }

        return command;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _prepared?.Values ?? Enumerable.Empty<RowStatement>())
        {
            await command.DisposeAsync();
        }

        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}

/// <summary>Extension to begin a unit of work from the connection factory.</summary>
public static class UnitOfWorkExtensions
{
    public static Task<UnitOfWork> BeginAsync(this IDbConnectionFactory connections, CancellationToken cancellationToken) =>
        UnitOfWork.BeginAsync(connections, cancellationToken);
}
