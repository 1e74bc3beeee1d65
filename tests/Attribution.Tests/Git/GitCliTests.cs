using Attribution.Hosting;
using Attribution.Tests.Infrastructure;
using Dapper;
using Attribution.Common;

namespace Attribution.Tests.Git;

public sealed class GitCliTests
{
    private static string[] Args(TestDatabase database, params string[] command) =>
        [.. database.Settings.Select(s => $"--{s.Key}={s.Value}"), .. command];

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task IngestGit_PathIsNotARepository_ExitsTwo(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var plain = Directory.CreateTempSubdirectory("attribution-plain").FullName;

        var exit = await AttributionCli.RunAsync(Args(database, "ingest", "git", "--path", plain, "--repo", "acme/app"));

        exit.Should().Be(ExitCodes.Usage);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task IngestGit_MissingPath_ExitsTwo(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);

        var exit = await AttributionCli.RunAsync(Args(database, "ingest", "git", "--path", "/no/such/dir", "--repo", "acme/app"));

        exit.Should().Be(ExitCodes.Usage);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task IngestGitThenBackfill_Repository_RegisteredScannedAndLinked(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var repo = TestRepository.Create();
        repo.Commit("init", DateTimeOffset.UtcNow.AddHours(-2), "a.txt", "1\n");
        repo.Commit("two", DateTimeOffset.UtcNow.AddHours(-1), "a.txt", "2\n");

        var ingest = await AttributionCli.RunAsync(Args(database, "ingest", "git", "--path", repo.Path, "--repo", "Acme/App"));
        var backfill = await AttributionCli.RunAsync(Args(database, "attribute", "backfill", "--since", "7d", "--repo", "acme/app"));

        ingest.Should().Be(ExitCodes.Success);
        backfill.Should().Be(ExitCodes.Success);
        await using var c = await database.Connections.OpenAsync(CancellationToken.None);
        (await c.ExecuteScalarAsync<long>("SELECT count(*) FROM commits WHERE repo_slug = 'acme/app'")).Should().Be(2);
        (await c.ExecuteScalarAsync<string>("SELECT clone_path FROM repositories WHERE repo_slug = 'acme/app'")).Should().Be(Path.GetFullPath(repo.Path));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Backfill_BadSince_ExitsTwo(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);

        var exit = await AttributionCli.RunAsync(Args(database, "attribute", "backfill", "--since", "yesterday-ish"));

        exit.Should().Be(ExitCodes.Usage);
    }
}
