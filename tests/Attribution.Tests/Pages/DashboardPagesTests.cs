using System.Net;
using Attribution.Tests.Infrastructure;
using Attribution.Tests.Yield;

namespace Attribution.Tests.Pages;

/// <summary>The detail pages over plain HTTP on every provider (the browser tests run on SQLite).</summary>
public sealed class DashboardPagesTests(SeededHostFixture fixture) : IClassFixture<SeededHostFixture>
{
    private async Task<(HttpStatusCode Status, string Html)> GetAsync(string provider, string path)
    {
        var host = await fixture.ForAsync(provider);
        using var client = host.CreateHttpClient();
        using var response = await client.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SessionPage_MergedSession_ShowsLinksPrsCiAndTouches(string provider)
    {
        var (status, html) = await GetAsync(provider, "/sessions/" + DashboardSeed.Merged);

        status.Should().Be(HttpStatusCode.OK);
        html.Should().Contain("id=\"session-outcome\"").And.Contain("merged")
            .And.Contain("/commits/" + DashboardSeed.C1).And.Contain("/prs/github/acme/widgets/42")
            .And.Contain("pushed-head-branch").And.Contain("run-1").And.Contain("Extend sorting to names");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task CommitPage_Abbreviation_ResolvesToTheCommit(string provider)
    {
        var (status, html) = await GetAsync(provider, "/commits/3333333");

        status.Should().Be(HttpStatusCode.OK);
        html.Should().Contain("Rewrite widget parser").And.Contain("Reverted by").And.Contain("/commits/" + DashboardSeed.Revert3);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task CommitPage_GitAiNote_ShowsTheShareWrittenByAi(string provider)
    {
        var (status, html) = await GetAsync(provider, "/commits/" + DashboardSeed.C1);

        status.Should().Be(HttpStatusCode.OK);
        html.Should().Contain("id=\"ai-lines\"").And.Contain("Written by AI").And.Contain("75 %").And.Contain("12 of 16 added lines");
        (await GetAsync(provider, "/commits/3333333")).Html.Should().NotContain("Written by AI", "no note, no share");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task CommitPage_NotHex_Returns400Page(string provider)
    {
        var (status, html) = await GetAsync(provider, "/commits/not-a-sha");

        status.Should().Be(HttpStatusCode.BadRequest);
        html.Should().Contain("That is not a commit sha");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task PrPage_ReadsPrCommitsSessionsCiAndTouches(string provider)
    {
        var (status, html) = await GetAsync(provider, "/prs/github/ACME/widgets/44");

        status.Should().Be(HttpStatusCode.OK);
        html.Should().Contain("Parser rewrite").And.Contain("merged, reverted").And.Contain(DashboardSeed.Reverted)
            .And.Contain("touch-revert");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task PrPage_ScriptTitle_IsEncoded(string provider)
    {
        var (_, html) = await GetAsync(provider, "/prs/github/acme/widgets/43");

        html.Should().Contain("&lt;script&gt;alert(1)&lt;/script&gt;").And.NotContain("<script>alert(1)</script>");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task PrPage_BadAddresses_Return404(string provider)
    {
        (await GetAsync(provider, "/prs/github/acme/widgets/not-a-number")).Status.Should().Be(HttpStatusCode.NotFound);
        (await GetAsync(provider, "/prs/gitlab/group/sub/name/12")).Status.Should().Be(HttpStatusCode.NotFound);
        (await GetAsync(provider, "/prs/github/acme/widgets/99999999999")).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task DeliveriesPage_ShowsStatusAndReason(string provider)
    {
        var (status, html) = await GetAsync(provider, "/deliveries");

        status.Should().Be(HttpStatusCode.OK);
        html.Should().Contain("delivery-abc").And.Contain("commitSha is not 40 hex");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task YieldPage_BadQueryValues_FallBackWithNotice(string provider)
    {
        var (status, html) = await GetAsync(provider, "/yield?period=fortnight&page=-2&outcome=great");

        status.Should().Be(HttpStatusCode.OK);
        html.Should().Contain("is not a period").And.Contain("is not a page number").And.Contain("is not an outcome class");
    }
}
