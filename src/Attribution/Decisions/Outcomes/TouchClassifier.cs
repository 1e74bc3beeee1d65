using System.Text.RegularExpressions;

namespace Attribution.Decisions.Outcomes;

/// <summary>
/// Classifies a later commit touching a decision's code (§6): <c>revert</c> when it reverts one of the
/// decision's commits, <c>fix</c> when its subject names fix, bug, hotfix, regression or patch as words
/// (with the common inflections fixes/fixed/bugs), else <c>other</c>. Pure.
/// </summary>
public static partial class TouchClassifier
{
    public const string Revert = "revert";
    public const string Fix = "fix";
    public const string Other = "other";

    public static string Classify(string? subject, string? revertsSha, IReadOnlyCollection<string> ownShas)
    {
        ArgumentNullException.ThrowIfNull(ownShas);
        if (revertsSha is not null && ownShas.Any(own => own.StartsWith(revertsSha, StringComparison.OrdinalIgnoreCase)
                                                         || revertsSha.StartsWith(own, StringComparison.OrdinalIgnoreCase)))
        {
            return Revert;
        }

        return subject is not null && FixWords().IsMatch(subject) ? Fix : Other;
    }

    [GeneratedRegex(@"\b(fix|fixes|fixed|bug|bugs|hotfix|regression|patch)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, 200)]
    private static partial Regex FixWords();
}
