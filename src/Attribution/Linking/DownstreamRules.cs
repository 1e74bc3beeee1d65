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

    /// <summary>True when the subject names revert (revert, reverts, reverted, reverting) as a whole word, any case.</summary>
    public static bool IsRevertSubject(string? subject) => subject is not null && RevertWord().IsMatch(subject);

    /// <summary>Classifies a touch by subject alone (no line facts): see <see cref="Classify(string?, string?, IReadOnlyCollection{string}, bool, int?, int?)"/>.</summary>
    public static string Classify(string? touchSubject, string? touchRevertsSha, IReadOnlyCollection<string> targetShas, bool partOfRevertPr) =>
        Classify(touchSubject, touchRevertsSha, targetShas, partOfRevertPr, linesChanged: null, linesWritten: null);

    /// <summary>
    /// Classifies a touch: <c>revert</c> when it reverts one of <paramref name="targetShas"/> by name (or is a merged revert
    /// PR's commit), or says revert and removes every line the target wrote; <c>fix</c> when it is a fix by subject and
    /// changes lines the target wrote; else <c>other</c>. When the lines it changed are not known
    /// (<paramref name="linesChanged"/> null: no clone to read), the subject alone decides, as before line facts existed.
    /// </summary>
    public static string Classify(string? touchSubject, string? touchRevertsSha, IReadOnlyCollection<string> targetShas, bool partOfRevertPr, int? linesChanged, int? linesWritten)
    {
        if (partOfRevertPr)
        {
            return Revert;
        }

        if (!string.IsNullOrEmpty(touchRevertsSha) && targetShas.Any(t => t.StartsWith(touchRevertsSha, StringComparison.OrdinalIgnoreCase)))
        {
            return Revert;
        }

        if (linesChanged is { } changed && linesWritten is > 0 && changed >= linesWritten && IsRevertSubject(touchSubject))
        {
            return Revert;
        }

        return IsFixSubject(touchSubject) && linesChanged is null or > 0 ? Fix : Other;
    }

    [GeneratedRegex(@"\b(fix|bug|hotfix|regression|patch)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex FixWord();

    [GeneratedRegex(@"\brevert(s|ed|ing)?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex RevertWord();
}
