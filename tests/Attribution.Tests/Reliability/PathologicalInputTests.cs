using Attribution.Providers.GitHub;
using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Attribution.Artifacts;
using Attribution.Backfill;
using Attribution.Decisions.Bugs;
using Attribution.Decisions.Outcomes;
using Attribution.Git;
using Attribution.Linking;
using Attribution.Sessions;
using Attribution.Stages;
using Attribution.Webhooks;

namespace Attribution.Tests.Reliability;

/// <summary>
/// Every regular expression in the product is linear (the mechanism), and every parser that runs one reads pathological
/// inputs (long runs of blanks, of the separator characters a pattern repeats, nested repetitions) within a fixed budget.
/// The inputs are sized so that the backtracking patterns they replaced would take minutes or never end (a 6.9 KB push
/// output took 4 s; 250 KB of PR URLs 21 s; a 300 KB commit message 78 s), while a linear pass takes milliseconds: the
/// budget is generous for a loaded 2-core machine and still fails a super-linear blow-up.
/// </summary>
public sealed class PathologicalInputTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(15);

    private static readonly string Blanks = Repeat("\n", 200_000);

    private static readonly string SpacedBlanks = Repeat(" \t\r\n", 100_000);

    public static TheoryData<string> ProductRegexes()
    {
        var data = new TheoryData<string>();
        foreach (var (name, _) in AllProductRegexes())
        {
            data.Add(name);
        }

        return data;
    }

    [Fact]
    public void TheProductHasRegexes_SoTheLinearityCheckCoversSomething()
    {
        AllProductRegexes().Should().HaveCountGreaterThan(20);
    }

    [Theory]
    [MemberData(nameof(ProductRegexes))]
    public void EveryRegexInTheProduct_IsNonBacktracking(string name)
    {
        var regex = AllProductRegexes().Single(r => r.Name == name).Regex;

        regex.Options.Should().HaveFlag(RegexOptions.NonBacktracking, $"{name} ({regex}) must run in time linear in its input");
    }

    [Fact]
    public void GitOutput_PushOfBlankLinesAndSeparators_WithinBudget()
    {
        var output = Blanks + SpacedBlanks + Repeat("+- *!=", 40_000) + "\n" + Repeat(" \n+\n", 20_000)
            + "   1234567..89abcde  main -> main\n";

        var facts = Timed(() => GitOutputParser.Parse("git push origin main", output, false));

        // The push line sits past the parsed bound: only the command's branch is read, and nothing hangs.
        facts.Should().ContainSingle(f => f.Kind == Attribution.Common.SessionEventKinds.Branch);
        Timed(() => GitOutputParser.Parse("git push origin main", Repeat("\n", 6_000) + "   1234567..89abcde  main -> main\n", false))
            .Should().Contain(f => f.Kind == Attribution.Common.SessionEventKinds.Push && f.Sha == "89abcde");
    }

    [Fact]
    public void GitOutput_CommitAndNewBranchLines_OfOpenBrackets_WithinBudget()
    {
        var output = Repeat("[", 100_000) + "\n" + Repeat("[a ", 50_000) + "\n" + Repeat(" * [new branch] ", 10_000) + "\n";

        Timed(() => GitOutputParser.Parse("git commit -m x && git push -u origin x", output, false)).Should().NotBeNull();
    }

    [Fact]
    public void GitOutput_PrUrlRuns_WithinBudget()
    {
        var urls = Repeat("https://a/", 100_000);

        Timed(() => GitOutputParser.Parse("gh pr create --fill", urls, false)).Should().BeEmpty();
        Timed(() => GitOutputParser.PrFromUrl(urls + "https://github.com/o/r/pull/7")).Should().NotBeNull();
        Timed(() => GitOutputParser.PrFromUrl(Repeat("https://x/", 200_000))).Should().BeNull();
    }

    [Fact]
    public void GitOutput_CommandsWithRepeatedOptions_WithinBudget()
    {
        var command = "git" + Repeat(" -C x", 200_000) + Repeat(" -c a", 200_000);

        Timed(() => GitOutputParser.Parse(command, "out", false)).Should().NotBeNull();
    }

    [Fact]
    public void AgentMarkers_CoAuthorScanOverAMegabyteOfBlanks_WithinBudget()
    {
        var message = "subject\n\n" + Repeat(" \n", 500_000) + Repeat("co-authored-by:", 20_000) + "\n"
            + "Co-authored-by: Claude <noreply@anthropic.com>\nprose";

        var marker = Timed(() => AgentMarkers.Detect(message, TrailerParser.Parse(message), "Dev", "dev@example.com"));

        marker.Should().NotBeNull();
        marker!.Agent.Should().Be("claude-code");
    }

    [Fact]
    public void Trailers_LongContinuationsAndSeparatorRuns_WithinBudget()
    {
        var message = "s\n\nKey: v\n" + Repeat("  more\n", 200_000) + Repeat(":", 500_000) + "\n" + Repeat("a-", 300_000) + ": x";

        Timed(() => TrailerParser.Parse(message)).Should().BeEmpty();
        Timed(() => TrailerParser.RevertedSha(Repeat("This reverts commit ", 50_000))).Should().BeNull();
    }

    [Fact]
    public void StageCommands_StoredShellCommands_WithinBudget()
    {
        var mvn = Repeat("mvn ", 250_000);
        var gradle = Repeat("./gradlew x", 100_000);
        var git = Repeat("git -C a ", 100_000);

        Timed(() => StageDerivation.IsTestCommand(mvn)).Should().BeFalse();
        Timed(() => StageDerivation.IsTestCommand(gradle)).Should().BeFalse();
        Timed(() => StageDerivation.IsTestCommand(SpacedBlanks + "dotnet  test")).Should().BeTrue();
        Timed(() => StageDerivation.IsBranchIntegration(git)).Should().BeFalse();
        Timed(() => StageDerivation.IsBranchIntegration(git + "git rebase main")).Should().BeTrue();
    }

    [Fact]
    public void AttributionMarkers_UnclosedCommentsAndTrailerRuns_WithinBudget()
    {
        var body = Repeat("<!-- agents-run: {", 60_000) + Repeat("}", 60_000);
        var message = Repeat("Agents-Attribution:", 50_000) + "\n" + SpacedBlanks;

        Timed(() => AttributionMarkers.FindInBody(body)).Should().NotBeNull();
        Timed(() => AttributionMarkers.FindInMessage(message)).Should().NotBeNull();
    }

    [Fact]
    public void RevertsAndFixWords_LongRuns_WithinBudget()
    {
        var reverts = Repeat(" \n", 300_000) + Repeat("Reverts ", 50_000) + Repeat("a.", 100_000);

        Timed(() => GitHubPullRequests.Reverts(reverts, "o/r")).Should().BeEmpty();
        Timed(() => GitHubPullRequests.Reverts(Repeat("Reverts a", 50_000) + Repeat("a/a", 100_000), "o/r")).Should().BeEmpty();
        Timed(() => TouchClassifier.Classify(Repeat("fi", 300_000), null, [])).Should().Be(TouchClassifier.Other);
        Timed(() => DownstreamRules.IsFixSubject(Repeat("bu", 300_000))).Should().BeFalse();
    }

    [Fact]
    public void StackTraces_LongFrames_WithinBudget()
    {
        var lines = new List<string>();
        for (var i = 0; i < 2_000; i++)
        {
            lines.Add("  File \"" + Repeat("x", 3_000) + "\", line 1, in " + Repeat(" f", 400));
            lines.Add("   at " + Repeat("a(", 1_500) + " in " + Repeat(":line ", 300));
            lines.Add("    at " + Repeat("f (", 900) + ":1:");
            lines.Add(Repeat("created by a(", 300));
        }

        Timed(() => StackTraceParser.Parse(string.Join('\n', lines))).Should().NotBeNull();
    }

    [Fact]
    public void RepoPaths_LongWorktreeLikeCwd_WithinBudget()
    {
        var cwd = "/nonexistent-attribution-test" + Repeat("/.worktrees", 50_000);

        Timed(() => new RepoPaths().RootsOf(cwd)).Should().NotBeEmpty();
    }

    private static T Timed<T>(Func<T> run)
    {
        var watch = Stopwatch.StartNew();
        var result = run();
        watch.Elapsed.Should().BeLessThan(Budget);
        return result;
    }

    private static string Repeat(string text, int count) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();

    /// <summary>Every <see cref="Regex"/> the product's assembly builds: generated-regex methods and properties, and static fields.</summary>
    private static List<(string Name, Regex Regex)> AllProductRegexes()
    {
        var found = new List<(string, Regex)>();
        const BindingFlags all = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        foreach (var type in typeof(GitOutputParser).Assembly.GetTypes())
        {
            if (type.Namespace?.StartsWith("System.Text.RegularExpressions", StringComparison.Ordinal) == true)
            {
                continue;
            }

            foreach (var method in type.GetMethods(all))
            {
                if (method.GetCustomAttribute<GeneratedRegexAttribute>() is not null && method.GetParameters().Length == 0)
                {
                    found.Add(($"{type.FullName}.{method.Name}", (Regex)method.Invoke(null, null)!));
                }
            }

            foreach (var property in type.GetProperties(all))
            {
                if (property.GetCustomAttribute<GeneratedRegexAttribute>() is not null)
                {
                    found.Add(($"{type.FullName}.{property.Name}", (Regex)property.GetValue(null)!));
                }
            }

            if (type.IsGenericTypeDefinition)
            {
                continue;
            }

            foreach (var field in type.GetFields(all))
            {
                if (typeof(Regex).IsAssignableFrom(field.FieldType) && field.GetValue(null) is Regex regex && !type.FullName!.Contains("RegexGenerator", StringComparison.Ordinal))
                {
                    found.Add(($"{type.FullName}.{field.Name}", regex));
                }
            }
        }

        return found;
    }
}
