using System.Globalization;
using Attribution.Api;
using Attribution.Reports;
using Attribution.Store;
using Attribution.Yield;
using Microsoft.AspNetCore.Http;

namespace Attribution.Pages.Dashboard;

/// <summary>
/// The query string of a list page (<c>/sessions</c>, <c>/commits</c>, <c>/prs</c>): filters, page and export format,
/// read once so the HTML table and its CSV/JSON export answer the same rows.
/// </summary>
public sealed record ListQuery
{
    public const int PageSize = 50;

    public string? Repo { get; init; }
    public string? Agent { get; init; }
    public string? Model { get; init; }
    public string? Author { get; init; }
    public string? Branch { get; init; }
    public string Period { get; init; } = "all";
    public string? Outcome { get; init; }
    public double MinConfidence { get; init; } = CommitAttributionService.DefaultMinConfidence;
    public int Page { get; init; } = 1;

    /// <summary><c>csv</c>, <c>json</c> or null (HTML).</summary>
    public string? Format { get; init; }

    public DateTimeOffset? Since { get; init; }

    /// <summary>What was not understood and what was shown instead.</summary>
    public IReadOnlyList<string> Notices { get; init; } = [];

    /// <summary>Periods offered as links; any <c>Nd</c> or ISO date also works.</summary>
    public static IReadOnlyList<string> Periods { get; } = ["today", "7d", "30d", "90d", "all"];

    public static ListQuery From(IQueryCollection query, IReadOnlyCollection<string> outcomes, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(query);
        var notices = new List<string>();
        string? Text(string key) => query[key].ToString() is { Length: > 0 } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

        var periodText = Text("period") ?? "all";
        DateTimeOffset? since = null;
        if (Common.Since.Parse(periodText, now) is { } period)
        {
            since = period.From;
            periodText = period.Name;
        }
        else
        {
            notices.Add($"“{periodText}” is not a period (use today, 7d, 30d, Nd, all or a date such as 2026-01-01); showing all time.");
            periodText = "all";
        }

        var outcome = Text("outcome")?.ToLowerInvariant();
        if (outcome is not null && !outcomes.Contains(outcome))
        {
            notices.Add($"“{outcome}” is not an outcome here (use {string.Join(", ", outcomes)}); showing every outcome.");
            outcome = null;
        }

        var floor = CommitAttributionService.DefaultMinConfidence;
        if (!Linking.Outcomes.Verdicts.TryParseMinConfidence(Text("minConfidence"), out floor))
        {
            notices.Add("minConfidence must be a number from 0 to 1; using 0.5.");
            floor = CommitAttributionService.DefaultMinConfidence;
        }

        var page = int.TryParse(Text("page"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p >= 1 ? Math.Min(p, 100_000) : 1;
        var format = Text("format")?.ToLowerInvariant();
        return new ListQuery
        {
            Repo = Text("repo"),
            Agent = Text("agent"),
            Model = Text("model"),
            Author = Text("author"),
            Branch = Text("branch"),
            Period = periodText,
            Since = since,
            Outcome = outcome,
            MinConfidence = floor,
            Page = page,
            Format = format is "csv" or "json" ? format : null,
            Notices = notices,
        };
    }

    /// <summary>One page more than shown is asked for, to know whether a next page exists.</summary>
    public BrowseFilter ToFilter() => new()
    {
        Repo = Repo,
        Agent = Agent,
        Model = Model,
        Author = Author,
        Branch = Branch,
        Since = Since,
        Outcome = Outcome,
        MinConfidence = MinConfidence,
        Offset = Format is null ? (Page - 1) * PageSize : 0,
        Limit = Format is null ? PageSize + 1 : ExportLimit,
    };

    /// <summary>An export holds every matching row, up to this many.</summary>
    public const int ExportLimit = 10_000;

    /// <summary>The same filters as a query string, with <paramref name="overrides"/> applied (null removes a key).</summary>
    public string Link(string path, params (string Key, string? Value)[] overrides)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["repo"] = Repo,
            ["agent"] = Agent,
            ["model"] = Model,
            ["author"] = Author,
            ["branch"] = Branch,
            ["period"] = Period == "all" ? null : Period,
            ["outcome"] = Outcome,
            ["minConfidence"] = MinConfidence == CommitAttributionService.DefaultMinConfidence ? null : MinConfidence.ToString(CultureInfo.InvariantCulture),
            ["page"] = Page == 1 ? null : Page.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in overrides)
        {
            values[key] = value;
        }

        var pairs = values.Where(v => !string.IsNullOrEmpty(v.Value)).Select(v => v.Key + "=" + Uri.EscapeDataString(v.Value!)).ToList();
        return pairs.Count == 0 ? path : path + "?" + string.Join("&", pairs);
    }
}
