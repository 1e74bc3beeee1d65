using System.Globalization;
using System.Text.RegularExpressions;
using Attribution.Common;

namespace Attribution.Sessions;

/// <summary>A commit, branch, push or PR read from a shell command and its output.</summary>
public sealed record GitFact(string Kind, string? Sha = null, string? Branch = null, string? Subject = null, string? Url = null, int? PrNumber = null);

/// <summary>
/// Reads what git, gh and glab commands did from their command line and output. Pure. A commit counts only
/// when its <c>[branch sha] subject</c> line is in the output: a failed <c>git commit</c> prints none, while a
/// chain whose later step failed (<c>git commit &amp;&amp; git push</c>) still made the commit it printed.
/// </summary>
public static partial class GitOutputParser
{
    [GeneratedRegex(@"^\[(?<branch>[^\]\r\n]+?)(?: \(root-commit\))? (?<sha>[0-9a-f]{7,40})\] (?<subject>[^\r\n]*)$", RegexOptions.Multiline | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex CommitLine();

    [GeneratedRegex(@"^\s*[+\- *!=]?\s*(?<from>[0-9a-f]{4,40})\.{2,3}(?<to>[0-9a-f]{4,40})\s+(?<src>\S+)\s+->\s+(?<dst>\S+)", RegexOptions.Multiline | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex PushUpdateLine();

    [GeneratedRegex(@"^\s*\*\s+\[new branch\]\s+(?<src>\S+)\s+->\s+(?<dst>\S+)", RegexOptions.Multiline | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex PushNewBranchLine();

    [GeneratedRegex(@"https://[^\s/]+/(?<repo>[^\s]+?)/(?:pull|-/merge_requests)/(?<number>\d+)", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex PrUrl();

    [GeneratedRegex(@"\bgit\b(?:\s+-C\s+\S+|\s+-c\s+\S+)*\s+(?:checkout\s+(?:-[bB])|switch\s+(?:-[cC]|--create))\s+(?<branch>[^\s;&|]+)", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex CreateBranch();

    [GeneratedRegex(@"\bgit\b(?:\s+-C\s+\S+)*\s+push\b(?<args>[^;&|\n]*)", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex PushCommand();

    [GeneratedRegex(@"\bgit\b(?:\s+-C\s+\S+|\s+-c\s+\S+)*\s+(?:commit|cherry-pick|revert|merge|rebase|am)\b", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex CommittingCommand();

    [GeneratedRegex(@"\b(?:gh\s+pr\s+create|glab\s+mr\s+create)\b", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex PrCreateCommand();

    /// <summary>
    /// The facts of one shell call. Reads at most <see cref="TranscriptParser.MaxCommand"/> characters of the command and
    /// <see cref="TranscriptParser.MaxParsedOutput"/> of the output (every pattern here is linear; the bound keeps a
    /// hostile transcript's cost proportional to what is stored).
    /// </summary>
    public static IReadOnlyList<GitFact> Parse(string command, string? output, bool? isError)
    {
        command = command.Length <= TranscriptParser.MaxCommand ? command : command[..TranscriptParser.MaxCommand];
        output = output is null || output.Length <= TranscriptParser.MaxParsedOutput ? output : output[..TranscriptParser.MaxParsedOutput];
        var facts = new List<GitFact>();
        var commandSucceeded = isError != true;

        foreach (Match m in CreateBranch().Matches(command))
        {
            if (commandSucceeded)
            {
                facts.Add(new GitFact(SessionEventKinds.Branch, Branch: m.Groups["branch"].Value));
            }
        }

        var pushes = PushCommand().Matches(command);
        if (pushes.Count > 0 && commandSucceeded)
        {
            foreach (Match m in pushes)
            {
                var branch = PushedBranch(m.Groups["args"].Value);
                if (branch is not null)
                {
                    facts.Add(new GitFact(SessionEventKinds.Branch, Branch: branch));
                }
            }
        }

        if (string.IsNullOrEmpty(output))
        {
            return facts;
        }

        if (CommittingCommand().IsMatch(command))
        {
            var printed = facts.Count;
            foreach (Match m in CommitLine().Matches(output))
            {
                var branch = m.Groups["branch"].Value;
                facts.Add(new GitFact(
                    SessionEventKinds.Commit,
                    Sha: m.Groups["sha"].Value,
                    Branch: branch.StartsWith("detached HEAD", StringComparison.Ordinal) ? null : branch,
                    Subject: m.Groups["subject"].Value.Trim()));
            }

            // A quiet commit prints no [branch sha] line; a git log --oneline in the same command names it.
            if (facts.Count == printed)
            {
                foreach (var (sha, subject) in QuietCommits(command, output))
                {
                    facts.Add(new GitFact(SessionEventKinds.Commit, Sha: sha, Subject: subject));
                }
            }
        }

        if (pushes.Count > 0)
        {
            foreach (Match m in PushUpdateLine().Matches(output))
            {
                facts.Add(new GitFact(SessionEventKinds.Push, Sha: m.Groups["to"].Value, Branch: StripRefs(m.Groups["dst"].Value)));
            }

            foreach (Match m in PushNewBranchLine().Matches(output))
            {
                facts.Add(new GitFact(SessionEventKinds.Push, Branch: StripRefs(m.Groups["dst"].Value)));
            }
        }

        if (PrCreateCommand().IsMatch(command))
        {
            foreach (Match m in PrUrl().Matches(output))
            {
                facts.Add(PrFromUrl(m.Value) ?? new GitFact(SessionEventKinds.PullRequest, Url: m.Value));
            }
        }

        return facts;
    }

    /// <summary>
    /// Commits a quiet <c>git commit -q -m "subject…"</c> made, read from a <c>git log --oneline</c> that the same
    /// command printed: an output line <c>&lt;sha&gt; &lt;subject&gt;</c> whose subject (10 characters or more) is
    /// in the command's own text. Lines are scanned one by one (linear in the output's size).
    /// </summary>
    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    public static IReadOnlyList<(string Sha, string Subject)> QuietCommits(string? command, string? output)
    {
        if (string.IsNullOrEmpty(command) || string.IsNullOrEmpty(output) || !CommittingCommand().IsMatch(command))
        {
            return [];
        }

        var found = new List<(string, string)>();
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space is < 7 or > 40 || line.AsSpan(0, space).ContainsAnyExcept(LowerHex))
            {
                continue;
            }

            var subject = line[(space + 1)..].Trim();
            if (subject.Length >= 10 && command.Contains(subject, StringComparison.Ordinal))
            {
                found.Add((line[..space].ToLowerInvariant(), subject));
            }
        }

        return found;
    }

    /// <summary>A PR fact from a GitHub pull URL or GitLab merge request URL, or null.</summary>
    public static GitFact? PrFromUrl(string url)
    {
        var m = PrUrl().Match(url);
        return m.Success && int.TryParse(m.Groups["number"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? new GitFact(SessionEventKinds.PullRequest, Url: m.Value, PrNumber: number)
            : null;
    }

    private static string? PushedBranch(string args)
    {
        // git push [-u|--set-upstream|-f ...] <remote> <branch|src:dst>
        var positional = args.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(a => !a.StartsWith('-') && !a.StartsWith('>') && !a.StartsWith('2'))
            .ToList();
        if (positional.Count < 2)
        {
            return null;
        }

        var refspec = positional[1].Trim('"', '\'');
        var colon = refspec.IndexOf(':', StringComparison.Ordinal);
        var branch = StripRefs(colon >= 0 ? refspec[(colon + 1)..] : refspec.TrimStart('+'));
        return branch.Length == 0 || branch == "HEAD" || branch.StartsWith("refs/tags/", StringComparison.Ordinal) ? null : branch;
    }

    private static string StripRefs(string name) =>
        name.StartsWith("refs/heads/", StringComparison.Ordinal) ? name["refs/heads/".Length..] : name;
}
