using System.Diagnostics;
using Attribution.Store;
using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Decisions;

/// <summary><c>attribution attribute outcomes</c> run as a real process against a test database.</summary>
public sealed class AttributeOutcomesCommandTests
{
    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(TestDatabase database, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "attribution.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ATTRIBUTION_DB_PROVIDER"] = database.Options.Provider;
        start.Environment["ATTRIBUTION_DB"] = database.Options.Connection;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AttributeOutcomes_MergedStablePr_PrintsVerdictAndWrites(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await new DecisionStore(database.Connections).InsertAsync(new DecisionRecord
        {
            Id = "0000abcd", Summary = "Use a queue", Confidence = 0.8, Project = "acme/shop", PrNumber = 8, CreatedTs = DateTimeOffset.UtcNow.AddDays(-40),
        }, CancellationToken.None);
        await new EvidenceSeeder(database.Connections).PrAsync("acme/shop", 8, "merged", DateTimeOffset.UtcNow.AddDays(-30));

        var (exitCode, stdout, stderr) = await RunAsync(database, "attribute", "outcomes", "--repo", "Acme/Shop");

        exitCode.Should().Be(0, stderr);
        stdout.Should().Contain("1 decisions: 1 stable, 0 bug-linked; 0 missed bugs; 1 rows written")
            .And.Contain("0000abcd  stable  success  PR #8 stable for 14 days");
        (await new DecisionStore(database.Connections).FindAsync("0000abcd", CancellationToken.None))!.Outcome.Should().Be("success");
    }

    [Fact]
    public async Task AttributeOutcomes_BadRepo_ExitsWithUsageError()
    {
        await using var database = await TestDatabase.CreateAsync(TestProviders.Sqlite);

        var (exitCode, _, stderr) = await RunAsync(database, "attribute", "outcomes", "--repo", "not a repo");

        exitCode.Should().Be(2);
        stderr.Should().Contain("--repo must look like owner/name");
    }
}
