using Attribution.Store;
using Attribution.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Attribution.Tests.Hosting;

namespace Attribution.Tests.Pages;

/// <summary>Each link type's evidence read as sentences on the commit page, with the confidence's meaning and provider links.</summary>
[Collection("browser")]
public sealed class EvidenceBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string CoAuthored = """{"method":"co-authored","rule":"co-author-trailer-and-tie","raw":0.8,"coAuthored":{"agent":"codex","model":"gpt-5-codex","activeFrom":"2026-11-18T12:00:00Z","activeUntil":"2026-11-18T14:30:00Z","competingSessions":[],"editedCommitFiles":true,"pushedTip":false}}""";
    private const string Touch = """{"method":"inferred-by-touch","rule":"touch","raw":0.8,"touch":{"files":["src/log.cs"],"gapMinutes":8,"firstTouch":true,"interveningCommits":0,"textRatio":0.857,"textLinesFound":12,"share":1,"competingSessions":[]}}""";
    private const string Recorded = """{"method":"recorded","source":"entire","checkpoint":"a1b2c3d4e5f6","via":"trailer","files":["README.md"],"recorded":{}}""";

    private async Task ArrangeAsync()
    {
        await using var c = await fixture.Host.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync(CancellationToken.None);
        await c.ExecuteAsync("UPDATE commit_session_link SET evidence_json = @E WHERE commit_sha = @Sha", new { E = CoAuthored, Sha = DashboardSeed.C2 });
        await c.ExecuteAsync("UPDATE commit_session_link SET evidence_json = @E WHERE commit_sha = @Sha", new { E = Touch, Sha = DashboardSeed.C4 });
        await c.ExecuteAsync("""
            INSERT INTO commit_session_link (commit_sha, repo_slug, session_id, link_type, confidence, evidence_json, established_ts)
            SELECT @Sha, @Repo, @Session, 'recorded', 1.0, @E, @Now
            WHERE NOT EXISTS (SELECT 1 FROM commit_session_link WHERE commit_sha = @Sha AND session_id = @Session)
            """, new { Sha = DashboardSeed.C5, Repo = DashboardSeed.Repo, Session = DashboardSeed.Committed, E = Recorded, Now = DashboardSeed.Now });
    }

    [BrowserTheory]
    [InlineData("1", "The session's own git commit -m \"Add widget sorting\" printed this commit", "exact")]
    [InlineData("2", "The commit names the agent codex (gpt-5-codex) and was written while this session was active", "about 9 in 10 links")]
    [InlineData("4", "The session edited src/log.cs 8 min before the commit.", "about 7 in 10 links")]
    [InlineData("5", "An Entire checkpoint (a1b2c3d4e5f6) recorded this session as the commit's author at the source.", "exact")]
    public async Task CommitPage_EachLinkType_ExplainsItsEvidence(string digit, string sentence, string meaning)
    {
        await ArrangeAsync();
        var page = await fixture.NewPageAsync();

        await page.GotoAsync(fixture.Url("/commits/" + new string(digit[0], 40)));

        var sentences = await page.Locator("#sessions .evidence-sentences li").AllInnerTextsAsync();
        sentences.Should().Contain(s => s.StartsWith(sentence, StringComparison.Ordinal));
        (await page.Locator("#sessions .confidence-meaning").AllInnerTextsAsync()).Should().Contain(t => t.Contains(meaning, StringComparison.Ordinal));
        if (digit == "4")
        {
            sentences.Should().Contain("This was the first commit to touch those files after the edit.")
                .And.Contain("12 lines the session wrote are among the commit's added lines (86 % of its written lines).");
            await BrowserFixture.ScreenshotAsync(page, "commit-evidence");
        }
    }

    [BrowserFact]
    public async Task CommitPage_WithAPr_LinksTheCommitAndPrOnTheProvider()
    {
        var page = await fixture.NewPageAsync();

        await page.GotoAsync(fixture.Url("/commits/" + DashboardSeed.C1));

        (await page.Locator("#commit-on-provider").GetAttributeAsync("href")).Should().Be("https://github.com/acme/widgets/commit/" + DashboardSeed.C1);
        (await page.Locator(".page-head a.ext[href='https://github.com/acme/widgets/pull/42']").CountAsync()).Should().Be(1);
    }

    [BrowserFact]
    public async Task PrPage_BranchLink_IsASentence()
    {
        var page = await fixture.NewPageAsync();

        await page.GotoAsync(fixture.Url("/prs/github/acme/widgets/42"));

        (await page.Locator("#sessions .evidence-sentences li").AllInnerTextsAsync()).Should().Contain("The session pushed the PR's head branch feat/sort.");
        await BrowserFixture.ScreenshotAsync(page, "pull-request");
    }
}
