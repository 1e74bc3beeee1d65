using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Attribution.Store;
using Attribution.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Attribution.Tests.Sessions;

public sealed class SessionImportEndpointTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Import_ClaudeTranscript_Returns200WithSessionAndEventCount(string provider)
    {
        var app = await fixture.ForAsync(provider);
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/api/sessions/import?agent=claude-code&repo=EntireIO/cli", Body("claude-code/entire-edit-commit-push.jsonl"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        json.RootElement.GetProperty("skippedLines").GetInt32().Should().Be(0);
        var session = json.RootElement.GetProperty("sessions").EnumerateArray().Should().ContainSingle().Subject;
        session.GetProperty("sessionId").GetString().Should().Be("78368290-ee0b-474f-8052-bb65a9a581d6");
        session.GetProperty("events").GetInt32().Should().Be(8); // 4 shell, 2 edits, 1 commit, 1 push
        var stored = await app.Services.GetRequiredService<SessionStore>().GetSessionAsync("78368290-ee0b-474f-8052-bb65a9a581d6", CancellationToken.None);
        (stored!.RepoSlug, stored.OutputTokens).Should().Be(("entireio/cli", 347L));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Import_CodexRolloutWithBadLine_CountsSkippedLine(string provider)
    {
        var app = await fixture.ForAsync(provider);
        using var client = app.CreateClient();
        var text = await File.ReadAllTextAsync(SessionHarness.Fixture("codex/claude-code-log-synthetic-tools.jsonl"));
        using var content = new StringContent(text.Replace("\n{\"timestamp\":\"2026-01-02T03:04:08", "\n{broken\n{\"timestamp\":\"2026-01-02T03:04:08", StringComparison.Ordinal));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");

        using var response = await client.PostAsync("/api/sessions/import?agent=codex", content);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        json.RootElement.GetProperty("skippedLines").GetInt32().Should().Be(1);
        var session = json.RootElement.GetProperty("sessions").EnumerateArray().Should().ContainSingle().Subject;
        (session.GetProperty("sessionId").GetString(), session.GetProperty("events").GetInt32()).Should().Be(("11111111-1111-4111-8111-111111111111", 2));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Import_CodexSubAgent_DocumentAndPageNameItsParent(string provider)
    {
        var app = await fixture.ForAsync(provider);
        using var client = app.CreateClient();
        const string child = "019d7e40-7150-7df3-b034-a8421746ef80";
        const string parent = "019d7d08-46c9-7f73-affe-4e6ca9852d56";

        using (var imported = await client.PostAsync("/api/sessions/import?agent=codex&repo=entireio/git-sync", Body("codex/git-sync-forked-subagent.jsonl")))
        {
            imported.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using var document = JsonDocument.Parse(await client.GetStringAsync($"/api/attribution/session/{child}"));
        document.RootElement.GetProperty("parentSessionId").GetString().Should().Be(parent);
        var page = await client.GetStringAsync($"/sessions/{child}");
        page.Should().Contain("Sub-agent of").And.Contain($"/sessions/{parent}");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Import_UnknownAgent_Returns400Problem(string provider)
    {
        var app = await fixture.ForAsync(provider);
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/api/sessions/import?agent=copilot", Body("claude-code/minimal-write-commit.jsonl"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await app.Services.GetRequiredService<SessionStore>().GetSessionAsync("test-session-id", CancellationToken.None)).Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Import_EmptyBody_Returns400Problem(string provider)
    {
        var app = await fixture.ForAsync(provider);
        using var client = app.CreateClient();
        using var content = new ByteArrayContent([]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");

        using var response = await client.PostAsync("/api/sessions/import?agent=claude-code", content);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Import_BodyOverLimitWithoutLength_Returns413AndStoresNothing(string provider)
    {
        var app = await fixture.ForAsync(provider);
        using var client = app.CreateClient();
        var line = System.Text.Encoding.UTF8.GetBytes("{\"type\":\"user\",\"sessionId\":\"too-big\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"message\":{\"content\":\"" + new string('x', 1024 * 1024) + "\"}}\n");
        using var content = new StreamContent(new RepeatingStream(line, 101));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");

        using var response = await client.PostAsync("/api/sessions/import?agent=claude-code", content);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await app.Services.GetRequiredService<SessionStore>().GetSessionAsync("too-big", CancellationToken.None)).Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Import_CurlDefaultFormContentType_Refused415(string provider)
    {
        // curl's default (form-encoded) is also what any web page can post cross-site without a preflight: send
        // -H 'Content-Type: application/x-ndjson' (as documented).
        var app = await fixture.ForAsync(provider);
        using var client = app.CreateClient();
        using var content = new ByteArrayContent(File.ReadAllBytes(SessionHarness.Fixture("claude-code/gitai-thinking-edit.jsonl")));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");

        using var response = await client.PostAsync("/api/sessions/import?agent=claude-code", content);

        response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        (await app.Services.GetRequiredService<SessionStore>().GetSessionAsync("dac34307-159f-4fcd-9c21-35210246ad38", CancellationToken.None)).Should().BeNull();
    }

    private static ByteArrayContent Body(string fixture)
    {
        var content = new ByteArrayContent(File.ReadAllBytes(SessionHarness.Fixture(fixture)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        return content;
    }

    /// <summary>A body of one line repeated, of unknown length (no Content-Length).</summary>
    private sealed class RepeatingStream(byte[] line, int times) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var total = (long)line.Length * times;
            if (_position >= total)
            {
                return 0;
            }

            var n = (int)Math.Min(count, Math.Min(total - _position, line.Length - (_position % line.Length)));
            Array.Copy(line, _position % line.Length, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
