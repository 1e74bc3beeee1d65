using System.Net;
using System.Text.RegularExpressions;
using Attribution.Tests.Infrastructure;
using Attribution.Tests.Reports;
using Attribution.Tests.Hosting;

namespace Attribution.Tests.Pages;

/// <summary>
/// The session page lists each later commit once, with the session's commits it touched and the lines it changed in
/// each; a commit touching only work linked below the threshold is shown as such and not counted (issue 18).
/// </summary>
public sealed class SessionTouchesPageTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SessionPage_TouchOfTwoCommits_IsOneRowAndWeakLinksAreMarked(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var seed = new GraphSeeder(app.Database.Connections);
        var repo = GraphSeeder.NewRepo();
        var session = GraphSeeder.NewSessionId();
        var at = DateTimeOffset.UtcNow.AddDays(-20);
        var (a, b, weak, both, onlyWeak) = (GraphSeeder.NewSha(), GraphSeeder.NewSha(), GraphSeeder.NewSha(), GraphSeeder.NewSha(), GraphSeeder.NewSha());
        await seed.SessionAsync(session, "claude-code", "claude-opus-4-6", repo, 0.3, at.AddHours(-2), at.AddHours(1));
        foreach (var (sha, confidence) in new[] { (a, 1.0), (b, 0.9), (weak, 0.2) })
        {
            await seed.CommitAsync(repo, sha, "Work " + sha[..6], at);
            await seed.LinkAsync(repo, sha, session, confidence == 1.0 ? "authored" : "inferred-by-touch", confidence);
        }

        await seed.CommitAsync(repo, both, "fix: tighten both paths", at.AddDays(2));
        await seed.CommitAsync(repo, onlyWeak, "fix: the weak one", at.AddDays(3));
        await seed.TouchAsync(repo, "commit", a, both, "fix", at.AddDays(2), linesChanged: 3);
        await seed.TouchAsync(repo, "commit", b, both, "other", at.AddDays(2), linesChanged: 0);
        await seed.TouchAsync(repo, "commit", weak, onlyWeak, "fix", at.AddDays(3), linesChanged: 5);
        using var http = app.CreateClient();

        using var response = await http.GetAsync("/sessions/" + session);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        var touches = html[html.IndexOf("id=\"touches\"", StringComparison.Ordinal)..];
        touches = touches[..touches.IndexOf("</section>", StringComparison.Ordinal)];
        var rows = Regex.Matches(touches, "<tr data-classification=\"(\\w+)\"[^>]*>(.*?)</tr>", RegexOptions.Singleline, TimeSpan.FromSeconds(5));
        rows.Should().HaveCount(2, "each touching commit is one row, however many of the session's commits it touched");
        var first = rows.Single(r => r.Value.Contains(both[..7], StringComparison.Ordinal));
        first.Groups[1].Value.Should().Be("fix", "the gravest classification of the commit's touches");
        first.Value.Should().Contain(a[..7]).And.Contain(b[..7]).And.Contain("(3 lines)").And.NotContain("below threshold");
        var second = rows.Single(r => r.Value.Contains(onlyWeak[..7], StringComparison.Ordinal));
        second.Value.Should().Contain("below threshold");
        touches.Should().Contain("Downstream touches").And.Contain("(1; 1 more of commits linked below threshold, not counted)");
    }
}
