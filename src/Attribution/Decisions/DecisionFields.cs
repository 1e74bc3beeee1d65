using System.Text.RegularExpressions;
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

    /// <summary>A decision as CSTP clients read it (plus our outcome bookkeeping).</summary>
    public static Dictionary<string, object?> ToJson(DecisionRecord d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new Dictionary<string, object?>
        {
            ["id"] = d.Id,
            ["summary"] = d.Summary,
            ["confidence"] = d.Confidence,
            ["category"] = d.Category,
            ["stakes"] = d.Stakes,
            ["agent"] = d.Agent,
            ["outcome"] = d.Outcome,
            ["outcomeSource"] = d.OutcomeSource,
            ["outcomeReason"] = d.OutcomeReason,
            ["project"] = d.Project,
            ["feature"] = d.Feature,
            ["pr"] = d.PrNumber,
            ["file"] = d.FilePath,
            ["line"] = d.Line,
            ["commit"] = d.CommitSha,
            ["timestamp"] = DapperSetup.Format(d.CreatedTs),
            ["reviewedAt"] = d.ReviewedTs is { } r ? DapperSetup.Format(r) : null,
        };
    }

    [GeneratedRegex("^[0-9a-fA-F]{7,40}$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex Sha();
}
