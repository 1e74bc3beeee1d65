using Attribution.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Attribution.Tests.Backfill;

/// <summary>The <c>ingest github|gitlab</c> commands as a user runs them, against the fake APIs.</summary>
public sealed class BackfillCliTests
{
    private static Dictionary<string, string?> Environment(BackfillHarness h, string token = "test-token") => new()
    {
        ["ATTRIBUTION_DB_PROVIDER"] = h.Database.Options.Provider,
        ["ATTRIBUTION_DB"] = h.Database.Options.Connection,
        ["ATTRIBUTION_GITHUB_API_URL"] = h.GitHubApiUrl,
        ["ATTRIBUTION_GITHUB_TOKEN"] = token,
        ["ATTRIBUTION_GITLAB_URL"] = h.Server.Url,
        ["ATTRIBUTION_GITLAB_TOKEN"] = token,
    };

    private static void AnswerEverything(BackfillHarness h, int status, string body) =>
        h.Server.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithStatusCode(status)
            .WithHeader("Content-Type", "application/json; charset=utf-8").WithBody(body));

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task IngestGitHub_FakeApi_ExitsZeroPrintsSummaryAndStoresRows(string provider)
    {
        await using var h = await BackfillHarness.CreateAsync(provider);
        FakeGitHub.Arrange(h);

        var result = await CliProcess.RunAsync(["ingest", "github", "--repo", FakeGitHub.Repo], Environment(h));

        result.ExitCode.Should().Be(0, result.StdErr);
        result.StdOut.Should().Contain("PRs 3 new, 0 updated").And.Contain("CI runs 4 new");
        (await h.ScalarAsync<long>("SELECT count(*) FROM pr_outcomes WHERE provider = 'github' AND repo_slug = 'codertocat/hello-world'")).Should().Be(3);
        h.Server.LogEntries.Should().OnlyContain(e => e.RequestMessage.Headers!["Authorization"].Contains("Bearer test-token")
            && e.RequestMessage.Headers["Accept"].Any(a => a.Contains("application/vnd.github+json")));
        (result.StdOut + result.StdErr).Should().NotContain("test-token");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task IngestGitHub_InvalidToken_ExitsTwoWithOneLineAndStoresNothing(string provider)
    {
        await using var h = await BackfillHarness.CreateAsync(provider);
        AnswerEverything(h, 401, """{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}""");

        var result = await CliProcess.RunAsync(["ingest", "github", "--repo", FakeGitHub.Repo, "--token", "wrong-token"], Environment(h));

        result.ExitCode.Should().Be(2);
        result.StdErr.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("401").And.Contain("Bad credentials");
        result.StdErr.Should().NotContain("wrong-token");
        (await h.ScalarAsync<long>("SELECT count(*) FROM pr_outcomes")).Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task IngestGitHub_RepositoryNotFound_ExitsOneWithTheApiMessage(string provider)
    {
        await using var h = await BackfillHarness.CreateAsync(provider);
        AnswerEverything(h, 404, """{"message":"Not Found","documentation_url":"https://docs.github.com/rest/pulls/pulls#list-pull-requests"}""");

        var result = await CliProcess.RunAsync(["ingest", "github", "--repo", "nobody/nothing"], Environment(h));

        result.ExitCode.Should().Be(1);
        result.StdErr.Trim().Should().Be("error: GitHub: nobody/nothing: Not Found");
    }

    [Fact]
    public async Task IngestGitHub_NotFoundWithoutToken_SaysNoTokenWasGiven()
    {
        await using var h = await BackfillHarness.CreateAsync(TestProviders.Sqlite);
        AnswerEverything(h, 404, """{"message":"Not Found","documentation_url":"https://docs.github.com/rest/pulls/pulls#list-pull-requests"}""");
        var environment = Environment(h, token: "");
        environment["GITHUB_TOKEN"] = "";

        var result = await CliProcess.RunAsync(["ingest", "github", "--repo", "acme/private"], environment);

        result.ExitCode.Should().Be(1);
        result.StdErr.Trim().Should().StartWith("error: GitHub: acme/private: Not Found (no token was given").And.Contain("ATTRIBUTION_GITHUB_TOKEN");
    }

    [Fact]
    public async Task IngestGitHub_BadSince_ExitsTwo()
    {
        await using var h = await BackfillHarness.CreateAsync(TestProviders.Sqlite);

        var result = await CliProcess.RunAsync(["ingest", "github", "--repo", FakeGitHub.Repo, "--since", "thirty days"], Environment(h));

        result.ExitCode.Should().Be(2);
        result.StdErr.Should().Contain("--since 'thirty days'");
        h.Server.LogEntries.Should().BeEmpty();
    }

    [Fact]
    public async Task IngestGitHub_BadRepository_ExitsTwo()
    {
        await using var h = await BackfillHarness.CreateAsync(TestProviders.Sqlite);

        var result = await CliProcess.RunAsync(["ingest", "github", "--repo", "../etc"], Environment(h));

        result.ExitCode.Should().Be(2);
        h.Server.LogEntries.Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task IngestGitLab_FakeApi_ExitsZeroAndStoresRows(string provider)
    {
        await using var h = await BackfillHarness.CreateAsync(provider);
        FakeGitLab.Arrange(h);

        var result = await CliProcess.RunAsync(["ingest", "gitlab", "--project", FakeGitLab.Project, "--since", "3650d"], Environment(h));

        result.ExitCode.Should().Be(0, result.StdErr);
        result.StdOut.Should().Contain("PRs 3 new");
        (await h.ScalarAsync<long>("SELECT count(*) FROM ci_runs WHERE provider = 'gitlab-ci'")).Should().Be(6);
        h.Server.LogEntries.Should().OnlyContain(e => e.RequestMessage.Headers!["PRIVATE-TOKEN"].Contains("test-token"));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task IngestGitLab_InvalidToken_ExitsTwo(string provider)
    {
        await using var h = await BackfillHarness.CreateAsync(provider);
        AnswerEverything(h, 401, """{"message":"401 Unauthorized"}""");

        var result = await CliProcess.RunAsync(["ingest", "gitlab", "--project", FakeGitLab.Project], Environment(h));

        result.ExitCode.Should().Be(2);
        result.StdErr.Trim().Should().StartWith("error: GitLab rejected the token (401: 401 Unauthorized)");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task IngestGitLab_ProjectNotFound_ExitsOneWithTheApiMessage(string provider)
    {
        await using var h = await BackfillHarness.CreateAsync(provider);
        AnswerEverything(h, 404, """{"message":"404 Project Not Found"}""");

        var result = await CliProcess.RunAsync(["ingest", "gitlab", "--project", "group/missing"], Environment(h));

        result.ExitCode.Should().Be(1);
        result.StdErr.Trim().Should().Be("error: GitLab: group/missing: 404 Project Not Found");
    }
}
