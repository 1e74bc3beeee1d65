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

    /// <summary>
    /// Reads a stored timestamp. The store's own fixed-width form (<see cref="Format(DateTimeOffset)"/>) is read digit by
    /// digit (a pass or a report reads tens of thousands of them); anything else goes through the general parser.
    /// </summary>
    public static DateTimeOffset Parse(string value) =>
        TryParseStored(value, out var stored) ? stored
            : DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static bool TryParseStored(string text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length != 28 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != '.' || text[27] != 'Z')
        {
            return false;
        }

        var (year, month, day) = (Digits(text, 0, 4), Digits(text, 5, 2), Digits(text, 8, 2));
        var (hour, minute, second, ticks) = (Digits(text, 11, 2), Digits(text, 14, 2), Digits(text, 17, 2), Digits(text, 20, 7));
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour is < 0 or > 23 || minute is < 0 or > 59
            || second is < 0 or > 59 || ticks < 0)
        {
            return false;
        }

        value = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(ticks), TimeSpan.Zero);
        return true;
    }

    /// <summary>The number written by <paramref name="count"/> ASCII digits from <paramref name="start"/>; -1 when one is not a digit.</summary>
    private static int Digits(string text, int start, int count)
    {
        var number = 0;
        for (var i = start; i < start + count; i++)
        {
            var digit = text[i] - '0';
            if ((uint)digit > 9)
            {
                return -1;
            }

            number = (number * 10) + digit;
        }

        return number;
    }

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
