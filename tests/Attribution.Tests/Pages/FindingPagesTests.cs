using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Attribution.Tests.Infrastructure;
using Attribution.Tests.Yield;

namespace Attribution.Tests.Pages;

/// <summary>The list pages, the search box and session-id prefixes over plain HTTP on every provider.</summary>
public sealed partial class FindingPagesTests(SeededHostFixture fixture) : IClassFixture<SeededHostFixture>
{
    private async Task<HttpResponseMessage> GetAsync(string provider, string path)
    {
        var host = await fixture.ForAsync(provider);
        using var client = host.CreateHttpClient();
        return await client.GetAsync(path);
    }

    private async Task<string[]> RowKeysAsync(string provider, string path)
    {
        using var response = await GetAsync(provider, path);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        return RowKey().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToArray();
    }

    [GeneratedRegex("<tr data-key=\"([^\"]*)\"")]
    private static partial Regex RowKey();

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SessionsList_NoFilter_ListsEverySessionNewestFirst(string provider)
    {
        var keys = await RowKeysAsync(provider, "/sessions");

        keys.Should().Equal(DashboardSeed.NoRepo, DashboardSeed.Committed, DashboardSeed.InReview, DashboardSeed.Abandoned,
            DashboardSeed.OtherMerged, DashboardSeed.Merged, DashboardSeed.Reverted);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SessionsList_AgentAndPeriodFilters_KeepOnlyMatchingSessions(string provider)
    {
        (await RowKeysAsync(provider, "/sessions?agent=codex")).Should().Equal(DashboardSeed.InReview, DashboardSeed.Abandoned);
        (await RowKeysAsync(provider, "/sessions?period=7d&model=claude-opus-4-6")).Should().Equal(DashboardSeed.NoRepo, DashboardSeed.OtherMerged);
        (await RowKeysAsync(provider, "/sessions?period=2026-11-15&repo=ACME/widgets")).Should().Equal(DashboardSeed.Committed, DashboardSeed.InReview, DashboardSeed.Abandoned);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SessionsList_OutcomeAndConfidence_FollowTheLinks(string provider)
    {
        (await RowKeysAsync(provider, "/sessions?outcome=merged")).Should().BeEquivalentTo([DashboardSeed.Merged, DashboardSeed.OtherMerged, DashboardSeed.Reverted]);
        (await RowKeysAsync(provider, "/sessions?outcome=unlinked")).Should().BeEquivalentTo([DashboardSeed.NoRepo, DashboardSeed.Abandoned]);
        (await RowKeysAsync(provider, "/sessions?outcome=unlinked&minConfidence=0.2")).Should().Equal(DashboardSeed.NoRepo);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task CommitsList_Filters_SelectByOutcomeAgentAndBranch(string provider)
    {
        (await RowKeysAsync(provider, "/commits?outcome=reverted")).Should().Equal(DashboardSeed.Repo + "@" + DashboardSeed.C3);
        (await RowKeysAsync(provider, "/commits?agent=codex")).Should().Equal(DashboardSeed.Repo + "@" + DashboardSeed.C2);
        (await RowKeysAsync(provider, "/commits?repo=acme/gadgets&author=DEV@example.com")).Should().Equal(DashboardSeed.OtherRepo + "@" + DashboardSeed.C6);
        (await RowKeysAsync(provider, "/commits?branch=feat/x&outcome=linked")).Should().HaveCount(4);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task PrsList_Outcomes_SeparateMergedFromReverted(string provider)
    {
        (await RowKeysAsync(provider, "/prs?outcome=reverted")).Should().Equal("github:acme/widgets#44");
        (await RowKeysAsync(provider, "/prs?outcome=merged")).Should().BeEquivalentTo(["github:acme/widgets#42", "github:acme/gadgets#7"]);
        (await RowKeysAsync(provider, "/prs?agent=codex")).Should().Equal("github:acme/widgets#43");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SessionsList_UnknownPeriod_SaysSoAndShowsAllTime(string provider)
    {
        using var response = await GetAsync(provider, "/sessions?period=lately");
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        html.Should().Contain("is not a period");
        RowKey().Matches(html).Should().HaveCount(7);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SessionsExport_Csv_HoldsTheFilteredRows(string provider)
    {
        using var response = await GetAsync(provider, "/sessions?agent=codex&format=csv");
        var csv = await response.Content.ReadAsStringAsync();

        response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("Started,Session,Id,Agent,Model,Repository,Branch,Cost,Commits,Best link");
        lines.Should().HaveCount(3);
        lines[1].Should().Contain("Cache lookups").And.Contain("codex").And.Contain("$0.80");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task PrsExport_Json_HoldsOneObjectPerRow(string provider)
    {
        using var response = await GetAsync(provider, "/prs?format=json&repo=acme/widgets");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        doc.RootElement.EnumerateArray().Select(r => r.GetProperty("PR").GetString()).Should().BeEquivalentTo(["#42", "#43", "#44"]);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SessionPage_UniquePrefix_RedirectsToTheSession(string provider)
    {
        using var response = await GetAsync(provider, "/sessions/sess-mer");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.Should().Be("/sessions/" + DashboardSeed.Merged);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SessionPage_AmbiguousPrefix_ListsTheCandidates(string provider)
    {
        using var response = await GetAsync(provider, "/sessions/sess-rev");
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        html.Should().Contain(DashboardSeed.InReview).And.Contain(DashboardSeed.Reverted).And.Contain("Parser rewrite");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SessionApi_Prefix_ResolvesOrAnswers409WithCandidates(string provider)
    {
        using var found = await GetAsync(provider, "/api/attribution/session/sess-mer");
        using var ambiguous = await GetAsync(provider, "/api/attribution/session/sess-rev");
        using var tooShort = await GetAsync(provider, "/api/attribution/session/sess-m");

        found.StatusCode.Should().Be(HttpStatusCode.OK);
        JsonDocument.Parse(await found.Content.ReadAsStringAsync()).RootElement.GetProperty("sessionId").GetString().Should().Be(DashboardSeed.Merged);
        JsonDocument.Parse(await found.Content.ReadAsStringAsync()).RootElement.GetProperty("title").GetString().Should().Be("Sort widgets");
        ambiguous.StatusCode.Should().Be(HttpStatusCode.Conflict);
        ambiguous.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        JsonDocument.Parse(await ambiguous.Content.ReadAsStringAsync()).RootElement.GetProperty("candidates").EnumerateArray()
            .Select(c => c.GetProperty("sessionId").GetString()).Should().BeEquivalentTo([DashboardSeed.InReview, DashboardSeed.Reverted]);
        tooShort.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("3333", "/commits/" + "3333333333333333333333333333333333333333" + "?repo=acme%2Fwidgets")]
    [InlineData("sess-mer", "/sessions/sess-merged-0001")]
    [InlineData("#42", "/prs/github/acme/widgets/42")]
    [InlineData("https://github.com/acme/gadgets/pull/7", "/prs/github/acme/gadgets/7")]
    [InlineData("feat/sort", "/sessions/sess-merged-0001")]
    public async Task Search_OneMatch_RedirectsToIt(string q, string location)
    {
        using var response = await GetAsync(TestProviders.Sqlite, "/search?q=" + Uri.EscapeDataString(q));

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.Should().Be(location);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Search_SeveralMatches_ListsThemAll(string provider)
    {
        using var response = await GetAsync(provider, "/search?q=feat/x");
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        Regex.Matches(html, "data-kind=\"session\"").Should().HaveCount(7);
        Regex.Matches(html, "data-kind=\"pull request\"").Should().HaveCount(4);
    }

    [Fact]
    public async Task Search_NothingMatches_Answers404WithAHint()
    {
        using var response = await GetAsync(TestProviders.Sqlite, "/search?q=zzzz%20nothing");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Nothing matches");
    }
}
