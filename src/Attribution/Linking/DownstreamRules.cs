using System.Text.RegularExpressions;

namespace Attribution.Linking;

/// <summary>Classification of downstream touches and the "still good after N days" rule. Pure.</summary>
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

    /// <summary>
    /// Still good after <paramref name="days"/>: at least that old at <paramref name="now"/>, with no revert and no fix touch
    /// within those days from <paramref name="since"/> (commit time, or the PR's merge time).
    /// </summary>
    public static bool StillGood(DateTimeOffset since, DateTimeOffset now, IEnumerable<(string Classification, DateTimeOffset TouchedTs)> touches, int days = 14)
    {
        var end = since.AddDays(days);
        if (now < end)
        {
            return false;
        }

        return !touches.Any(t => t.Classification is Revert or Fix && t.TouchedTs <= end);
    }

    [GeneratedRegex(@"\b(fix|bug|hotfix|regression|patch)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex FixWord();
}
