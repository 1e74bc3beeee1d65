namespace Attribution.Common;

/// <summary>The three stages of a PR's life the report attributes (§10).</summary>
public enum PrStage
{
    Review,
    Implementation,
    Integration,
}

/// <summary>Parsing and naming of stages and recorded statuses.</summary>
public static class PrStageNames
{
    public static readonly IReadOnlyList<string> Statuses = ["pending", "in_progress", "completed"];

    public static string Name(PrStage stage) => stage switch
    {
        PrStage.Review => "review",
        PrStage.Implementation => "implementation",
        _ => "integration",
    };

    public static bool TryParse(string? value, out PrStage stage)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "review":
                stage = PrStage.Review;
                return true;
            case "implementation" or "impl":
                stage = PrStage.Implementation;
                return true;
            case "integration" or "integ":
                stage = PrStage.Integration;
                return true;
            default:
                stage = default;
                return false;
        }
    }

    /// <summary>Provider names are short lowercase words: letters, digits, '.', '_' and '-'.</summary>
    public static bool IsValidProvider(string? provider) =>
        !string.IsNullOrWhiteSpace(provider) && provider.Length <= 40
        && provider.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-');

    /// <summary>Session names as agents and the seed use them (uuids, <c>pr_review1</c>, ...).</summary>
    public static bool IsValidSession(string? session) =>
        !string.IsNullOrWhiteSpace(session) && session.Length <= 200
        && session.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or ':');
}
