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
    /// <summary>A <c>git</c> call up to its subcommand, past any <c>-C &lt;dir&gt;</c> and <c>-c key=value</c>.</summary>
    private const string GitWithOptions = @"\bgit\b(?:\s+-C\s+\S+|\s+-c\s+\S+)*\s+";

    [GeneratedRegex(@"^\[(?<branch>[^\]\r\n]+?)(?: \(root-commit\))? (?<sha>[0-9a-f]{7,40})\] (?<subject>[^\r\n]*)$", RegexOptions.Multiline | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex CommitLine();

    [GeneratedRegex(@"^\s*[+\- *!=]?\s*(?<from>[0-9a-f]{4,40})\.{2,3}(?<to>[0-9a-f]{4,40})\s+(?<src>\S+)\s+->\s+(?<dst>\S+)", RegexOptions.Multiline | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex PushUpdateLine();

    [GeneratedRegex(@"^\s*\*\s+\[new branch\]\s+(?<src>\S+)\s+->\s+(?<dst>\S+)", RegexOptions.Multiline | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex PushNewBranchLine();

    [GeneratedRegex(@"https://[^\s/]+/(?<repo>[^\s]+?)/(?:pull|-/merge_requests)/(?<number>\d+)", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex PrUrl();

    [GeneratedRegex(GitWithOptions + @"(?:checkout\s+(?:-[bB])|switch\s+(?:-[cC]|--create))\s+(?<branch>[^\s;&|]+)", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex CreateBranch();

    [GeneratedRegex(@"\bgit\b(?:\s+-C\s+\S+)*\s+push\b(?<args>[^;&|\n]*)", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex PushCommand();

    [GeneratedRegex(GitWithOptions + @"(?:commit|cherry-pick|revert|merge|rebase|am)\b", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
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

    /// <summary>
    /// The subjects of the messages a command line gives <c>git commit</c> (<c>-m</c>, <c>--message</c>, a bundle
    /// such as <c>-am</c>, a <c>$(cat &lt;&lt;'EOF' …)</c> heredoc, <c>-F -</c> reading a heredoc), one per invocation that makes a new commit:
    /// <c>--amend</c> (the author time is the old commit's) and <c>--dry-run</c> give none. The subject is the
    /// message's first non-blank line, trimmed, as git stores it. Reads quotes as a POSIX shell does; what it
    /// cannot read (a message from a file or another commit, a variable or command substitution) gives nothing.
    /// Bounded: only the first <see cref="TranscriptParser.MaxCommand"/> characters are read, and each invocation's
    /// reading ends with its simple command or its heredoc.
    /// </summary>
    public static IReadOnlyList<string> CommitCommandSubjects(string? command)
    {
        if (string.IsNullOrEmpty(command) || !command.Contains("commit", StringComparison.Ordinal))
        {
            return [];
        }

        command = command.Length <= TranscriptParser.MaxCommand ? command : command[..TranscriptParser.MaxCommand];
        var subjects = new List<string>();
        foreach (Match m in CommitCommand().Matches(command))
        {
            var end = m.Index + m.Length;
            if (end < command.Length && (command[end] == '-' || char.IsLetterOrDigit(command[end])))
            {
                continue; // commit-tree, commit-graph
            }

            if (new CommitArguments(command, end).Subject() is { } subject)
            {
                subjects.Add(subject);
            }
        }

        return subjects;
    }

    [GeneratedRegex(GitWithOptions + @"commit\b", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex CommitCommand();

    /// <summary>Reads one <c>git commit</c> invocation's words up to the end of its simple command (<c>;</c>, <c>&amp;</c>, <c>|</c>, a newline, <c>)</c>).</summary>
    private ref struct CommitArguments(string text, int start)
    {
        /// <summary>Options whose value is the next word (<c>-m</c> and <c>-F</c> are read apart).</summary>
        private static readonly HashSet<string> TakesValue = new(StringComparer.Ordinal)
        {
            "-C", "--reuse-message", "-c", "--reedit-message", "-t", "--template", "--author", "--date",
            "--fixup", "--squash", "--trailer", "--cleanup", "--pathspec-from-file",
        };

        /// <summary>Options git refuses with <c>-m</c> or that take the message from another commit (<c>-F</c> is read apart: <c>-F -</c> is a heredoc).</summary>
        private static readonly HashSet<string> MessageElsewhere = new(StringComparer.Ordinal) { "-C", "--reuse-message", "-c", "--reedit-message", "--fixup", "--squash" };

        private int _at = start;

        /// <summary>The last word read holds an expansion (<c>$VAR</c>, <c>$(…)</c>, a backquote): its text is not what git got.</summary>
        private bool _expanded;

        public string? Subject()
        {
            string? subject = null;
            var expectMessage = false;
            var skipValue = false;
            var discard = false;
            var expectFile = false;
            var fromStdin = false;
            while (SkipBlanks())
            {
                if (expectMessage && HeredocSubject() is var (heredoc, read) && read)
                {
                    subject ??= heredoc;
                    expectMessage = false;
                    continue;
                }

                var before = _at;
                var word = Word();
                if (word is null || _at == before)
                {
                    break; // a quote never closed, or a subshell's '(': nothing more to read here
                }

                if (expectMessage)
                {
                    subject ??= _expanded ? "" : FirstLine(word);
                    expectMessage = false;
                }
                else if (expectFile)
                {
                    MessageFile(word);
                    expectFile = false;
                }
                else if (skipValue)
                {
                    skipValue = false;
                }
                else if (fromStdin && word.StartsWith("<<", StringComparison.Ordinal))
                {
                    // git commit -F - <<'EOF': the message is the heredoc's body, from the next line on; the invocation ends there.
                    var lineEnd = text.IndexOf('\n', _at);
                    subject ??= lineEnd < 0 ? null : HeredocBody(lineEnd + 1, word[2..].TrimStart('-'), out _at);
                    break;
                }
                else if (word is "-F" or "--file")
                {
                    expectFile = true;
                }
                else if (word.StartsWith("--file=", StringComparison.Ordinal))
                {
                    MessageFile(word["--file=".Length..]);
                }
                else if (word is "--amend" or "--dry-run" || MessageElsewhere.Contains(word.Split('=', 2)[0]))
                {
                    discard = true;
                    skipValue = TakesValue.Contains(word);
                }
                else if (word is "-m" or "--message")
                {
                    expectMessage = true;
                }
                else if (word.StartsWith("--message=", StringComparison.Ordinal))
                {
                    subject ??= _expanded ? "" : FirstLine(word["--message=".Length..]);
                }
                else if (TakesValue.Contains(word))
                {
                    skipValue = true;
                }
                else if (word.Length > 1 && word[0] == '-' && word[1] != '-')
                {
                    // A bundle of short options: -am "msg", -qm"msg"; -F, -C, -c and -t take the rest or the next word.
                    for (var i = 1; i < word.Length; i++)
                    {
                        if (word[i] == 'm')
                        {
                            if (i + 1 < word.Length)
                            {
                                subject ??= _expanded ? "" : FirstLine(word[(i + 1)..]);
                            }
                            else
                            {
                                expectMessage = true;
                            }

                            break;
                        }

                        if (word[i] == 'F')
                        {
                            expectFile = i + 1 == word.Length;
                            if (!expectFile)
                            {
                                MessageFile(word[(i + 1)..]);
                            }

                            break;
                        }

                        if (word[i] is 'C' or 'c' or 't')
                        {
                            discard |= word[i] != 't';
                            skipValue = i + 1 == word.Length;
                            break;
                        }
                    }
                }
            }

            return discard || string.IsNullOrEmpty(subject) ? null : subject;

            // -F <file>: standard input (-) is a heredoc read later; any other file is a message this reader cannot see.
            void MessageFile(string value)
            {
                fromStdin |= value == "-";
                discard |= value != "-";
            }
        }

        /// <summary>Skips blanks and line continuations; false at the end of the invocation.</summary>
        private bool SkipBlanks()
        {
            while (_at < text.Length)
            {
                var c = text[_at];
                if (c is ' ' or '\t')
                {
                    _at++;
                }
                else if (c == '\\' && _at + 1 < text.Length && text[_at + 1] == '\n')
                {
                    _at += 2;
                }
                else
                {
                    return c is not (';' or '&' or '|' or '\n' or '\r' or ')');
                }
            }

            return false;
        }

        /// <summary>One shell word (quotes removed, escapes applied); null when a quote is never closed.</summary>
        private string? Word()
        {
            _expanded = false;
            var word = new System.Text.StringBuilder();
            while (_at < text.Length)
            {
                var c = text[_at];
                if (c is ' ' or '\t' or ';' or '&' or '|' or '\n' or '\r' or ')' or '(')
                {
                    break;
                }

                if (c == '\'')
                {
                    var close = text.IndexOf('\'', _at + 1);
                    if (close < 0)
                    {
                        return null;
                    }

                    word.Append(text, _at + 1, close - _at - 1);
                    _at = close + 1;
                }
                else if (c == '"')
                {
                    _at++;
                    while (_at < text.Length && text[_at] != '"')
                    {
                        if (text[_at] == '\\' && _at + 1 < text.Length && text[_at + 1] is '"' or '\\' or '$' or '`' or '\n')
                        {
                            _at++;
                        }
                        else
                        {
                            _expanded |= Expands(_at);
                        }

                        word.Append(text[_at]);
                        _at++;
                    }

                    if (_at >= text.Length)
                    {
                        return null;
                    }

                    _at++;
                }
                else if (c == '\\' && _at + 1 < text.Length)
                {
                    word.Append(text[_at + 1]);
                    _at += 2;
                }
                else
                {
                    _expanded |= Expands(_at);
                    word.Append(c);
                    _at++;
                }
            }

            return word.ToString();
        }

        /// <summary>Whether the shell expands what starts at <paramref name="i"/> (outside single quotes).</summary>
        private readonly bool Expands(int i) =>
            text[i] == '`' || (text[i] == '$' && i + 1 < text.Length && (char.IsLetter(text[i + 1]) || text[i + 1] is '_' or '{' or '('));

        /// <summary>
        /// A message written as <c>"$(cat &lt;&lt;'EOF' … EOF)"</c> (how Claude Code commits): the first non-blank line
        /// of the heredoc's body; the reader is left after the closing <c>)</c> and quote.
        /// </summary>
        private (string? Subject, bool Read) HeredocSubject()
        {
            var rest = text.AsSpan(_at);
            var quoted = rest.StartsWith("\"$(cat <<", StringComparison.Ordinal);
            if (!quoted && !rest.StartsWith("$(cat <<", StringComparison.Ordinal))
            {
                return (null, false);
            }

            var i = _at + (quoted ? 9 : 8);
            while (i < text.Length && text[i] is '-' or ' ' or '\'' or '"')
            {
                i++;
            }

            var delimiterStart = i;
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
            {
                i++;
            }

            var lineEnd = text.IndexOf('\n', i);
            if (i == delimiterStart || lineEnd < 0)
            {
                return (null, false);
            }

            var subject = HeredocBody(lineEnd + 1, text[delimiterStart..i], out var at);
            while (at < text.Length && text[at] is ' ' or '\t' or '\n' or '\r')
            {
                at++;
            }

            if (at < text.Length && text[at] == ')')
            {
                at++;
            }

            if (quoted && at < text.Length && text[at] == '"')
            {
                at++;
            }

            _at = at;
            return (subject ?? "", true);
        }

        /// <summary>The first non-blank line of a heredoc body starting at <paramref name="start"/>; <paramref name="end"/>: after its delimiter line.</summary>
        private readonly string? HeredocBody(int start, string delimiter, out int end)
        {
            string? subject = null;
            end = start;
            while (end < text.Length)
            {
                var next = text.IndexOf('\n', end);
                var line = (next < 0 ? text[end..] : text[end..next]).Trim();
                end = next < 0 ? text.Length : next + 1;
                if (line == delimiter)
                {
                    break;
                }

                if (subject is null && line.Length > 0)
                {
                    subject = line;
                }
            }

            return subject;
        }

        private static string? FirstLine(string message)
        {
            foreach (var line in message.Split('\n'))
            {
                var trimmed = line.Trim();
                if (trimmed.Length > 0)
                {
                    return trimmed;
                }
            }

            return null;
        }
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
