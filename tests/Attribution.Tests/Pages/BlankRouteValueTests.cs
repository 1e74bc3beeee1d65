using System.Net;
using Attribution.Tests.Infrastructure;
using Dapper;

namespace Attribution.Tests.Pages;

/// <summary>Blank route segments bind as null: the pages answer 400 or 404, never 500.</summary>
public sealed class BlankRouteValueTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData("/commits/%20", HttpStatusCode.BadRequest)]
    [InlineData("/prs/github/%20", HttpStatusCode.NotFound)]
    [InlineData("/prs/%20/a/b/1", HttpStatusCode.NotFound)]
    [InlineData("/sessions/%20", HttpStatusCode.NotFound)]
    public async Task BlankSegment_AnsweredWithoutAServerError(string url, HttpStatusCode expected)
    {
        var app = await fixture.ForAsync(TestProviders.Sqlite);
        using var client = app.CreateClient();

        using var response = await client.GetAsync(url);

        response.StatusCode.Should().Be(expected);
    }

    [Fact]
    public async Task SessionIdWithASlash_Opens()
    {
        var app = await fixture.ForAsync(TestProviders.Sqlite);
        await using (var c = await app.Database.Connections.OpenAsync(CancellationToken.None))
        {
            await c.ExecuteAsync(
                "INSERT INTO sessions (session_id, agent, started_ts, ended_ts, updated_ts) VALUES ('team/run-7', 'codex', @ts, @ts, @ts)",
                new { ts = DateTimeOffset.UtcNow });
        }

        using var client = app.CreateClient();
        using var response = await client.GetAsync("/sessions/team/run-7");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("team/run-7");
    }
}
