using System.Net;
using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Hosting;

public sealed class HealthTests
{
    [Fact]
    public async Task Healthz_SqliteFileGoesAwayAndReturns_Answers503ThenRecovers()
    {
        await using var app = await AttributionApp.StartAsync(TestProviders.Sqlite);
        using var client = app.CreateClient();
        var path = app.Database.Options.Connection;
        (await client.GetAsync("/healthz")).StatusCode.Should().Be(HttpStatusCode.OK);

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Move(path, path + ".away");
        using var down = await client.GetAsync("/healthz");
        File.Move(path + ".away", path);
        using var back = await client.GetAsync("/healthz");

        down.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        down.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var answer = await down.Content.ReadAsStringAsync();
        answer.Should().Contain("database unavailable").And.Contain("missing");
        answer.Should().NotContain(Path.GetFileName(path)).And.NotContain(Path.GetDirectoryName(path)!, "the open health check names no path");
        back.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [PostgresFact]
    public async Task Healthz_PostgresDatabaseDropped_Answers503()
    {
        var app = await AttributionApp.StartAsync(TestProviders.Postgres);
        using var client = app.CreateClient();
        (await client.GetAsync("/healthz")).StatusCode.Should().Be(HttpStatusCode.OK);
        var name = new Npgsql.NpgsqlConnectionStringBuilder(app.Database.Options.Connection).Database;

        await using (var admin = new Npgsql.NpgsqlConnection(TestProviders.PostgresAdminConnection))
        {
            await admin.OpenAsync();
            await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE {name} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }

        using var down = await client.GetAsync("/healthz");

        down.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        await app.DisposeAsync();
    }
}
