using System.Net;
using Attribution.Tests.Infrastructure;
using Attribution.Tests.Reliability;

namespace Attribution.Tests.Webhooks;

/// <summary>
/// Webhook bodies cannot take the server's memory: what can be checked before the body is read is (GitLab's token, the
/// form of a signature header), and all bodies in flight share one budget, past which deliveries get 503 with
/// Retry-After without being read. Against the real server (Kestrel in a child process): the in-memory test server
/// does not answer before the request body is complete.
/// </summary>
public sealed class WebhookBodyMemoryTests(WebhookBodyMemoryTests.SmallBudgetApp fixture) : IClassFixture<WebhookBodyMemoryTests.SmallBudgetApp>
{
    private const int Budget = 4 * 1024 * 1024;

    /// <summary>One server on a temp SQLite database with a 4 MiB in-flight body budget, shared by the class.</summary>
    public sealed class SmallBudgetApp : IAsyncLifetime
    {
        private TestDatabase? _database;

        public ServeProcess Server { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _database = await TestDatabase.CreateEmptyAsync(TestProviders.Sqlite);
            var environment = ServeProcess.Environment("sqlite", _database.Options.Connection);
            environment["ATTRIBUTION_WEBHOOK_INFLIGHT_BYTES"] = Budget.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Server = ServeProcess.Start(environment);
            await Server.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        }

        public async Task DisposeAsync()
        {
            await Server.DisposeAsync();
            await _database!.DisposeAsync();
        }
    }

    public static TheoryData<string, string, string?> RefusedBeforeTheBody() => new()
    {
        { "/api/webhooks/gitlab", "X-Gitlab-Token", "wrong-token" },
        { "/api/webhooks/gitlab", "X-Gitlab-Token", null },
        { "/api/webhooks/github", "X-Hub-Signature-256", null },
        { "/api/webhooks/github", "X-Hub-Signature-256", "sha256=not-hex" },
        { "/api/webhooks/ci", "X-Webhook-Signature-256", null },
        { "/api/webhooks/ci", "webhook-signature", "v1,AAAA" }, // no webhook-id / timestamp
    };

    [Theory]
    [MemberData(nameof(RefusedBeforeTheBody))]
    public async Task CredentialWrongInTheHeaders_403WithoutReadingTheBody(string path, string header, string? value)
    {
        // Headers announcing 25 MiB, then 5 bytes of body and nothing more: only a server that answers before reading can answer.
        var extra = "X-GitHub-Event: push\r\nX-Gitlab-Event: Push Hook\r\n" + (value is null ? "" : $"{header}: {value}\r\n");
        using var connection = await OpenAsync(path, 25L * 1024 * 1024, extra);

        (await StatusLineAsync(connection)).Should().StartWith("HTTP/1.1 403");
    }

    [Fact]
    public async Task BodiesPastTheInFlightBudget_503WithRetryAfter_AndTheBudgetComesBack()
    {
        var signature = "X-GitHub-Event: push\r\nX-Hub-Signature-256: sha256=" + new string('0', 64) + "\r\n";

        // A 3 MiB body that stops after its first bytes holds 3 MiB of the 4 MiB budget while the client stays.
        using (var held = await OpenAsync("/api/webhooks/github", 3 * 1024 * 1024, signature))
        {
            await Task.Delay(500);
            using var refused = await OpenAsync("/api/webhooks/github", 2 * 1024 * 1024, signature);
            var answer = await ResponseHeadAsync(refused);
            answer.Should().StartWith("HTTP/1.1 503").And.Contain("Retry-After: ");
            await Task.Delay(200);
            fixture.Server.Log.Should().Contain("WRN] HTTP POST /api/webhooks/github responded 503")
                .And.NotContain("ERR] HTTP POST /api/webhooks/github responded 503", "a busy answer anyone can cause is a warning");
        }

        // The held body's client went away: its reservation is released, and a body of the same size is read (then refused for its signature).
        await Task.Delay(500);
        var body = new byte[2 * 1024 * 1024];
        Array.Fill(body, (byte)' ');
        using var after = await fixture.Server.Webhooks.GitHubAsync("push", body, signature: "sha256=" + new string('0', 64));
        after.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    /// <summary>A connection that sent a request's headers (declaring <paramref name="length"/> bytes) and 5 bytes of its body.</summary>
    private async Task<System.Net.Sockets.TcpClient> OpenAsync(string path, long length, string extraHeaders)
    {
        var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(fixture.Server.BaseAddress.Host, fixture.Server.BaseAddress.Port);
        var head = $"POST {path} HTTP/1.1\r\nHost: {fixture.Server.BaseAddress.Authority}\r\nContent-Type: application/json\r\n"
            + $"Content-Length: {length.ToString(System.Globalization.CultureInfo.InvariantCulture)}\r\n{extraHeaders}\r\n{{\"a\":";
        await client.GetStream().WriteAsync(System.Text.Encoding.ASCII.GetBytes(head));
        return client;
    }

    private static async Task<string> StatusLineAsync(System.Net.Sockets.TcpClient connection) => (await ResponseHeadAsync(connection)).Split("\r\n")[0];

    private static async Task<string> ResponseHeadAsync(System.Net.Sockets.TcpClient connection)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[4096];
        var text = new System.Text.StringBuilder();
        while (!text.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var n = await connection.GetStream().ReadAsync(buffer, timeout.Token);
            if (n == 0)
            {
                break;
            }

            text.Append(System.Text.Encoding.ASCII.GetString(buffer, 0, n));
        }

        return text.ToString();
    }
}
