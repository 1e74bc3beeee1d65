using System.Text.RegularExpressions;
using Attribution.Common;
using Attribution.Decisions.Rpc;
using Attribution.Store;

namespace Attribution.Decisions;

/// <summary>Validation and normalisation of the CSTP fields shared by several methods.</summary>
public static partial class DecisionFields
{
    public const int MaxText = 10_000;
    public const int MaxPath = 1_000;

    public static IReadOnlyList<string> Outcomes { get; } = ["success", "partial", "failure", "abandoned"];

    public static IReadOnlyList<string> Stakes { get; } = ["low", "medium", "high", "critical"];

    public static IReadOnlyList<string> GroupBy { get; } = ["project", "feature", "category", "agent"];

    public static string? Project(RpcParams p, string name = "project", bool required = false)
    {
        var slug = p.String(name, 300, required);
        if (slug is null)
        {
            return null;
        }

        return RepoSlug.IsValid(slug) ? RepoSlug.Normalize(slug) : throw p.Invalid(name, "must be a repository slug like owner/name");
    }

    /// <summary>A sha or abbreviation of 7 to 40 hex digits, lowercased.</summary>
    public static string? Commit(RpcParams p, string name = "commit")
    {
        var sha = p.String(name, 64);
        if (sha is null)
        {
            return null;
        }

        return Sha().IsMatch(sha) ? sha.ToLowerInvariant() : throw p.Invalid(name, "must be a commit sha of 7 to 40 hex digits");
    }

    /// <summary>A repository-relative path: slashes forward, no leading <c>./</c> or <c>/</c>, no <c>..</c>.</summary>
    public static string? FilePath(RpcParams p, string name = "file")
    {
        var path = p.String(name, MaxPath);
        if (path is null)
        {
            return null;
        }

        var normalized = path.Replace('\\', '/');
        while (normalized.StartsWith("./", StringComparison.Ordinal))
        {
            normalized = normalized[2..];
        }

        normalized = normalized.TrimStart('/');
        if (normalized.Length == 0 || normalized.Split('/').Any(s => s == "..") || normalized.Any(char.IsControl))
        {
            throw p.Invalid(name, "must be a file path relative to the repository root");
        }

        return normalized;
    }

    public static long? Line(RpcParams p, string name = "line") => p.Integer(name, 1, 10_000_000);

    public static long? Pr(RpcParams p, string name = "pr") => p.Integer(name, 1, int.MaxValue);

    /// <summary>
    /// A decision as CSTP clients read it: our fields, plus the names CSTP's own server and clients use for the same
    /// facts (<c>decision</c>/<c>title</c> = summary, <c>status</c> pending|reviewed, <c>date</c>/<c>created_at</c> = when
    /// recorded, <c>reviewed_at</c>, <c>actual_result</c>, <c>agent_id</c>/<c>recorded_by</c>, <c>project_context</c>).
    /// </summary>
    public static Dictionary<string, object?> ToJson(DecisionRecord d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var created = CstpTime(d.CreatedTs);
        var reviewed = d.ReviewedTs is { } r ? CstpTime(r) : null;
        return new Dictionary<string, object?>
        {
            ["id"] = d.Id,
            ["summary"] = d.Summary,
            ["decision"] = d.Summary,
            ["title"] = d.Summary,
            ["confidence"] = d.Confidence,
            ["category"] = d.Category,
            ["stakes"] = d.Stakes,
            ["status"] = Status(d),
            ["agent"] = d.Agent,
            ["agent_id"] = d.Agent,
            ["recorded_by"] = d.Agent,
            ["context"] = d.Context,
            ["outcome"] = d.Outcome,
            ["outcomeSource"] = d.OutcomeSource,
            ["outcomeReason"] = d.OutcomeReason,
            ["actual_result"] = d.OutcomeReason,
            ["project"] = d.Project,
            ["feature"] = d.Feature,
            ["pr"] = d.PrNumber,
            ["file"] = d.FilePath,
            ["line"] = d.Line,
            ["commit"] = d.CommitSha,
            ["project_context"] = ProjectContext(d),
            ["timestamp"] = DapperSetup.Format(d.CreatedTs),
            ["date"] = created,
            ["created_at"] = created,
            ["reviewedAt"] = d.ReviewedTs is { } at ? DapperSetup.Format(at) : null,
            ["reviewed_at"] = reviewed,
        };
    }

    /// <summary>
    /// A time as CSTP's Python server writes it (<c>datetime.isoformat()</c>: microseconds and <c>+00:00</c>), which
    /// every Python's <c>datetime.fromisoformat</c> reads; our own fields keep the 7-digit <c>Z</c> form.
    /// </summary>
    public static string CstpTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>CSTP's review status: <c>reviewed</c> once an outcome is known, else <c>pending</c>.</summary>
    public static string Status(DecisionRecord d) => d?.Outcome is null ? "pending" : "reviewed";

    /// <summary>CSTP's <c>project_context</c> object (only the fields that are set), or null when none is.</summary>
    private static Dictionary<string, object?>? ProjectContext(DecisionRecord d)
    {
        var context = new Dictionary<string, object?>();
        void Add(string key, object? value)
        {
            if (value is not null)
            {
                context[key] = value;
            }
        }

        Add("project", d.Project);
        Add("feature", d.Feature);
        Add("pr", d.PrNumber);
        Add("file", d.FilePath);
        Add("line", d.Line);
        Add("commit", d.CommitSha);
        return context.Count == 0 ? null : context;
    }

    /// <summary>
    /// The common CSTP filters: each read from <c>filters</c> when it holds it, else from the top-level params (CSTP's
    /// dashboard sends <c>project</c>, <c>category</c> and <c>hasOutcome</c> top-level).
    /// </summary>
    public static DecisionFilter ReadFilter(RpcParams parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var filters = parameters.Object("filters");
        RpcParams From(string name) => filters is not null && filters.Has(name) ? filters : parameters;
        var filter = new DecisionFilter
        {
            Project = Project(From("project")),
            Feature = From("feature").String("feature", 200),
            Pr = Pr(From("pr")),
            Category = From("category").String("category", 100),
            Agent = From("agent").String("agent", 200),
            HasOutcome = From("hasOutcome").Boolean("hasOutcome"),
            Stakes = StakesFilter(From("stakes")),
            MinConfidence = From("minConfidence").Number("minConfidence", 0, 1),
            MaxConfidence = From("maxConfidence").Number("maxConfidence", 0, 1),
        };
        return filter;
    }

    /// <summary>
    /// The filter of CSTP's dashboard calls (<c>cstp.getStats</c>, <c>cstp.listDecisions</c>): <c>project</c> and the
    /// dates <c>dateFrom</c> and <c>dateTo</c>, where a bare date as upper bound means the whole day; every decision in it.
    /// </summary>
    public static DecisionFilter DashboardFilter(RpcParams parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var until = parameters.Timestamp("dateTo");
        return new DecisionFilter
        {
            Project = Project(parameters),
            Since = parameters.Timestamp("dateFrom"),
            Until = until is { } u && u.TimeOfDay == TimeSpan.Zero && (parameters.String("dateTo", 64) ?? "").Length == 10 ? u.AddDays(1).AddTicks(-1) : until,
            Limit = 100_000,
        };
    }

    /// <summary>CSTP's stakes filter: one level or a list of levels.</summary>
    public static IReadOnlyList<string>? StakesFilter(RpcParams p, string name = "stakes")
    {
        var values = p.StringList(name, 4, 16);
        if (values is null)
        {
            return null;
        }

        return values.Select(v => Stakes.FirstOrDefault(s => string.Equals(s, v, StringComparison.OrdinalIgnoreCase))
            ?? throw p.Invalid(name, $"must be one of {string.Join(", ", Stakes)}")).ToList();
    }

    [GeneratedRegex("^[0-9a-fA-F]{7,40}$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex Sha();
}
