using System.Data;
using System.Globalization;
using Dapper;

namespace Attribution.Store;

/// <summary>
/// Timestamps are stored as UTC ISO-8601 text of fixed width in both dialects, so they compare and sort
/// as strings the same way in SQLite and PostgreSQL.
/// </summary>
public static class DapperSetup
{
    private static int _done;

    public static void Configure()
    {
        if (Interlocked.Exchange(ref _done, 1) == 1)
        {
            return;
        }

        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset?));
        SqlMapper.AddTypeHandler(new TimestampHandler());
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    /// <summary>The text form of a timestamp in the store: <c>2026-11-25T00:06:16.1234567Z</c>.</summary>
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The text form of a timestamp that may be absent: a null stays a typed text null, which PostgreSQL can place in any expression.</summary>
    public static string? Format(DateTimeOffset? value) => value is { } ts ? Format(ts) : null;

    public static DateTimeOffset Parse(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private sealed class TimestampHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = Format(value);
        }

        public override DateTimeOffset Parse(object value) => value switch
        {
            string text => DapperSetup.Parse(text),
            DateTime dateTime => new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)),
            DateTimeOffset offset => offset,
            _ => throw new DataException($"Cannot read a timestamp from {value.GetType().Name}."),
        };
    }
}
