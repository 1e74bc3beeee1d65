namespace Attribution.Store;

/// <summary>
/// How <c>downstream_touches</c> names its targets. The contract fixes only the columns, so the PR key is
/// read in each spelling the engine may write (the PR number alone or with its provider); all are scoped
/// by repo_slug and kind, so no spelling can match another repository's PR.
/// </summary>
public static class DownstreamTargets
{
    public static readonly IReadOnlyList<string> CommitKinds = ["commit"];

    public static readonly IReadOnlyList<string> PrKinds = ["pr", "pull_request", "merge_request"];

    public static IReadOnlyList<string> CommitKeys(string sha) => [sha.ToLowerInvariant()];

    public static IReadOnlyList<string> PrKeys(string provider, long number)
    {
        var n = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return [n, "#" + n, $"{provider}#{n}", $"{provider}/{n}", $"{provider}:{n}"];
    }
}
