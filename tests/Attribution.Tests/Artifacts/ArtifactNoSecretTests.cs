using System.Net;
using System.Text.Json;
using Attribution.Artifacts;
using Attribution.Store;
using Attribution.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Attribution.Tests.Artifacts.ArtifactTestData;

namespace Attribution.Tests.Artifacts;

/// <summary>Without <c>ATTRIBUTION_SIGNING_SECRET</c> nothing verifies, nothing is captured, and the backlog waits.</summary>
public sealed class ArtifactNoSecretTests(NoSecretAppFixture fixture) : IClassFixture<NoSecretAppFixture>
{
    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Capture_NoSecret_IsRejectedAndNothingStored(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var repo = UniqueRepo("chhsia0/knative-route-demo");

        var result = await app.Services.GetRequiredService<ArtifactCapture>().CaptureFeedbackAsync(IssueComment(repo, Marker(repo, 3, "s-1")), CancellationToken.None);

        result.Outcome.Should().Be(CaptureOutcome.Rejected);
        result.Reason.Should().Contain("ATTRIBUTION_SIGNING_SECRET");
        (await ArtifactCountAsync(app.Database, repo)).Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Sweep_NoSecret_LeavesTheCursorForLater(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var repo = UniqueRepo("chhsia0/knative-route-demo");
        await SeedFeedbackAsync(app.Database, IssueComment(repo, Marker(repo, 3, "s-2")), DateTimeOffset.UtcNow);

        var captured = await app.Services.GetRequiredService<ArtifactSweeper>().SweepOnceAsync(CancellationToken.None);

        captured.Should().Be(0);
        (await app.Services.GetRequiredService<CursorStore>().GetAsync(ArtifactSweeper.CursorSource, "pr_feedback", CancellationToken.None)).Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Resolve_NoSecret_DirectMetadataIsNotTrusted(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var repo = UniqueRepo("chhsia0/knative-route-demo");
        await SeedSessionAsync(app.Database, "s-3-" + repo, "claude-code", DateTimeOffset.UtcNow);
        var item = IssueComment(repo, Marker(repo, 3, "s-3-" + repo));
        await SeedFeedbackAsync(app.Database, item, DateTimeOffset.UtcNow);
        using var client = app.CreateClient();

        using var response = await client.GetAsync($"/api/attribution/artifact?repo={repo}&commentId={item.ExternalId}");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        result.GetProperty("mode").GetString().Should().Be("unresolved");
        result.GetProperty("sessionId").ValueKind.Should().Be(JsonValueKind.Null);
        result.GetProperty("diagnostic").GetString().Should().Contain("no signing secret");
    }
}
