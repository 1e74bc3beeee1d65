using System.Globalization;
using Attribution.Common;
using Attribution.Decisions;
using Attribution.Decisions.Calibration;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attribution.Pages;

/// <summary>/calibration: how well stated confidence matched outcomes (reliability diagram, Brier score per group, decisions per bucket).</summary>
public sealed class CalibrationModel(CalibrationService calibration) : PageModel
{
    public const int MaxDecisions = 20_000;

    /// <summary>Decisions listed under each bucket (newest first); the figures always use all of them.</summary>
    public const int MaxListedPerBucket = 100;

    [BindProperty(SupportsGet = true)]
    public string? GroupBy { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Project { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Category { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Feature { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Agent { get; set; }

    public CalibrationResult Result { get; private set; } = CalibrationCalculator.Calculate([]);

    public IReadOnlyList<CalibrationGroup> Groups { get; private set; } = [];

    public IReadOnlyDictionary<string, CalibrationDecision> Decisions { get; private set; } = new Dictionary<string, CalibrationDecision>();

    public int TotalDecisions { get; private set; }

    public string? Warning { get; private set; }

    /// <summary>The links' reliability tables measured on the dev set with the shipped calibration.</summary>
    public IReadOnlyList<(string Set, IReadOnlyList<Attribution.Linking.LinkCalibration.Bucket> Rows)> LinkReliability =>
        Attribution.Linking.LinkCalibration.Default.Reliability.Select(p => (p.Key, p.Value)).ToList();

    public static IReadOnlyList<string> GroupOptions => DecisionFields.GroupBy;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (GroupBy is not null && !GroupOptions.Contains(GroupBy, StringComparer.Ordinal))
        {
            Warning = "Unknown grouping ignored; choose project, feature, category or agent.";
            GroupBy = null;
        }

        if (Project is not null && !RepoSlug.IsValid(Project))
        {
            Warning = "The project filter must look like owner/name; it was ignored.";
            Project = null;
        }

        var page = await calibration.PageAsync(Project, Trim(Category), Trim(Feature), Trim(Agent), GroupBy, MaxDecisions, cancellationToken);
        TotalDecisions = page.Decisions.Count;
        Decisions = page.Decisions;
        Result = page.Result;
        Groups = page.Groups;
    }

    /// <summary>The URL of this page filtered to one group's key.</summary>
    public string GroupLink(string? key)
    {
        var query = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["project"] = GroupBy == "project" ? key : Project,
            ["category"] = GroupBy == "category" ? key : Category,
            ["feature"] = GroupBy == "feature" ? key : Feature,
            ["agent"] = GroupBy == "agent" ? key : Agent,
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/calibration", query.Where(p => !string.IsNullOrEmpty(p.Value)));
    }

    /// <summary>The PR page of a decision (owner/name/number), when it names both.</summary>
    public static string? PrLink(CalibrationDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return decision.Project is { } project && decision.PrNumber is { } pr
            ? $"/prs/github/{string.Join('/', project.Split('/').Select(Uri.EscapeDataString))}/{pr.ToString(CultureInfo.InvariantCulture)}"
            : null;
    }

    public static string Number(double? value) => value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "–";

    public static string Percent(double? value) => value is { } v ? (v * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : "–";

    /// <summary>SVG coordinate for a rate in [0, 1] on an axis of <paramref name="size"/> with a margin.</summary>
    public static string Coordinate(double rate, double size, double margin, bool invert) =>
        (invert ? margin + (1 - rate) * size : margin + rate * size).ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>Dot radius: grows with the square root of the bucket's size, 4 to 14.</summary>
    public static string Radius(int decisions) =>
        (4 + Math.Min(10, Math.Sqrt(decisions) * 2)).ToString("0.#", CultureInfo.InvariantCulture);

    public static string BucketAnchor(string bucket) => "bucket-" + bucket.Replace('.', '_');

    private static string? Trim(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
