using System.Globalization;
using Attribution.Store;

namespace Attribution.Yield;

/// <summary>Pure maths of the team report: each session's developer, the groupings and the trend buckets.</summary>
public static class TeamCalculator
{
    public const string Week = "week";
    public const string Month = "month";

    public static IReadOnlyList<string> BucketSizes { get; } = [Week, Month];

    /// <summary>Periods up to this long are bucketed by week when no size is asked for; longer ones by month.</summary>
    public static readonly TimeSpan WeeklyUpTo = TimeSpan.FromDays(7 * 26);

    /// <summary>The most buckets a trend holds (a period of centuries is cut to its newest buckets).</summary>
    public const int MaxBuckets = 520;

    /// <summary>A session's developer: the author of most of its linked commits (ties: the smaller key).</summary>
    public sealed record Developer(string Key, string? Name, string? Email);

    public static Developer? DeveloperOf(IEnumerable<SessionAuthorRow> authors) =>
        authors
            .Select(a => (Key: KeyOf(a.AuthorEmail, a.AuthorName), a))
            .Where(x => x.Key is not null)
            .GroupBy(x => x.Key!, StringComparer.Ordinal)
            .Select(g => (g.Key, Commits: g.Sum(x => x.a.Commits), First: g.First().a))
            .OrderByDescending(x => x.Commits).ThenBy(x => x.Key, StringComparer.Ordinal)
            .Select(x => new Developer(x.Key, Blank(x.First.AuthorName), Blank(x.First.AuthorEmail)))
            .FirstOrDefault();

    /// <summary>The key a developer is filtered and grouped by: the lower-cased email, else the lower-cased name.</summary>
    public static string? KeyOf(string? email, string? name) =>
        Blank(email)?.ToLowerInvariant() ?? Blank(name)?.ToLowerInvariant();

    /// <summary>Whether a filter value (an email or a name, any case) names this developer.</summary>
    public static bool Matches(Developer? developer, string filter) =>
        developer is not null
        && (string.Equals(developer.Key, filter.Trim(), StringComparison.OrdinalIgnoreCase)
            || string.Equals(developer.Name, filter.Trim(), StringComparison.OrdinalIgnoreCase)
            || string.Equals(developer.Email, filter.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The bucket size to use: the one asked for, else weeks up to <see cref="WeeklyUpTo"/> and months beyond.</summary>
    public static string BucketSize(string? asked, DateTimeOffset from, DateTimeOffset to) =>
        asked ?? (to - from <= WeeklyUpTo ? Week : Month);

    /// <summary>Weeks start on Monday and months on the 1st, in UTC.</summary>
    public static DateTimeOffset Floor(DateTimeOffset t, string size)
    {
        var u = t.ToUniversalTime();
        var day = new DateTimeOffset(u.Year, u.Month, u.Day, 0, 0, 0, TimeSpan.Zero);
        return size == Month ? day.AddDays(1 - day.Day) : day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
    }

    /// <summary>Every bucket from the one holding <paramref name="from"/> to the one holding <paramref name="to"/> (the newest <see cref="MaxBuckets"/>).</summary>
    public static IReadOnlyList<TrendBucket> Buckets(DateTimeOffset from, DateTimeOffset to, string size)
    {
        var last = Floor(to, size);
        var starts = new List<DateTimeOffset>();
        for (var t = last; t >= Floor(from, size) && starts.Count < MaxBuckets; t = size == Month ? t.AddMonths(-1) : t.AddDays(-7))
        {
            starts.Add(t);
        }

        starts.Reverse();
        var format = size == Month ? "MMM yyyy" : "MMM d yyyy";
        return starts.Select(s => new TrendBucket(s, s.ToString(format, CultureInfo.InvariantCulture))).ToList();
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
