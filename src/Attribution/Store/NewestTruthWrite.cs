using System.Data;

namespace Attribution.Store;

/// <summary>
/// The one way a row kept by a <see cref="NewestTruth"/> rule is written (<c>pr_outcomes</c>, <c>ci_runs</c>): an
/// update of the stored row where the incoming version wins; when that writes nothing, nothing more for the very
/// version already stored (a redelivery, a second event of one change); otherwise the upsert, which inserts a new row
/// and writes nothing when a newer version is stored. Each statement is prepared once per connection
/// (<see cref="UnitOfWork.Prepared"/>): a delivery's write is a few rows, so compiling the SQL each time cost more than
/// running it.
/// </summary>
internal sealed class NewestTruthWrite
{
    private readonly string _updateSql;
    private readonly string _sameVersionSql;
    private readonly string _upsertSql;
    private readonly (string Name, DbType Type)[] _parameters;
    private readonly int[] _sameVersionValues;
    private readonly (string Name, DbType Type)[] _sameVersionParameters;

    /// <param name="parameters">The parameters of the update and the upsert, in the order values are given.</param>
    /// <param name="sameVersionNames">The parameters the same-version count takes (a subset of <paramref name="parameters"/>).</param>
    public NewestTruthWrite(string updateSql, string sameVersionSql, string upsertSql, (string Name, DbType Type)[] parameters, params string[] sameVersionNames)
    {
        _updateSql = updateSql;
        _sameVersionSql = sameVersionSql;
        _upsertSql = upsertSql;
        _parameters = parameters;
        _sameVersionValues = [.. sameVersionNames.Select(name => Array.FindIndex(parameters, p => p.Name == name) is var i and >= 0
            ? i
            : throw new ArgumentException($"@{name} is not a parameter of the write.", nameof(sameVersionNames)))];
        _sameVersionParameters = [.. _sameVersionValues.Select(i => parameters[i])];
    }

    /// <summary>Writes one row's incoming version inside the caller's unit of work; <paramref name="values"/> follow the declared parameters.</summary>
    public async Task<UpsertOutcome> RunAsync(UnitOfWork unit, object?[] values, CancellationToken cancellationToken)
    {
        if (await unit.Prepared(_updateSql, _parameters).ExecuteAsync(cancellationToken, values) > 0)
        {
            return UpsertOutcome.Updated;
        }

        if (await unit.Prepared(_sameVersionSql, _sameVersionParameters).ScalarAsync(cancellationToken, [.. _sameVersionValues.Select(i => values[i])]) is > 0)
        {
            return UpsertOutcome.Unchanged;
        }

        return await unit.Prepared(_upsertSql, _parameters).ExecuteAsync(cancellationToken, values) > 0 ? UpsertOutcome.Inserted : UpsertOutcome.Stale;
    }
}
