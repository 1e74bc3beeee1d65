using System.Text.RegularExpressions;

namespace Attribution.Linking;

/// <summary>Classification of downstream touches. Pure. (The "still good" verdict lives in <see cref="Outcomes.Verdicts"/>.)</summary>
public static partial class DownstreamRules
{
    public const string Revert = "revert";
    public const string Fix = "fix";
    public const string Other = "other";

    /// <summary>True when the subject names fix, bug, hotfix, regression or patch as a whole word, any case.</summary>
    public static bool IsFixSubject(string? subject) => subject is not null && FixWord().IsMatch(subject);

    /// <summary>Classifies a touch: <c>revert</c> when it reverts one of <paramref name="targetShas"/> (or is a merged revert PR's commit), <c>fix</c> by subject, else <c>other</c>.</summary>
    public static string Classify(string? touchSubject, string? touchRevertsSha, IReadOnlyCollection<string> targetShas, bool partOfRevertPr)
    {
        if (partOfRevertPr)
        {
            return Revert;
        }

        if (!string.IsNullOrEmpty(touchRevertsSha) && targetShas.Any(t => t.StartsWith(touchRevertsSha, StringComparison.OrdinalIgnoreCase)))
        {
            return Revert;
        }

        return IsFixSubject(touchSubject) ? Fix : Other;
    }

    [GeneratedRegex(@"\b(fix|bug|hotfix|regression|patch)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex FixWord();
}
