using Attribution.Store;
using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Stages;

/// <summary>
/// Seeds the attribution graph for the PR stage tests through the stores, as the ingest, linking and artifact
/// features fill it (<see cref="GraphSeeder"/> with this suite's defaults: repository <c>o/r</c>, GitHub).
/// </summary>
internal sealed class StageGraphSeeder(IDbConnectionFactory connections)
{
    private static readonly DateTimeOffset Started = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Linked = new(2026, 10, 2, 0, 0, 0, TimeSpan.Zero);

    private readonly GraphSeeder _graph = new(connections);

    /// <summary>A session with its tokens and cost as the ingest stores them; <paramref name="shells"/> are its shell commands (time, command).</summary>
    public Task SessionAsync(string id, string agent, string? model, double? cost, long input = 0, long output = 0, string repo = "o/r", string? branch = null,
        IReadOnlyList<(string Ts, string Command)>? shells = null) =>
        _graph.SessionAsync(id, agent, model, repo, cost, Started, Started, branch, input, output, cacheWrite: 0, cacheRead: 0,
            events: (shells ?? []).Select((s, i) => new SessionEventRecord
            {
                SessionId = id, RecordKey = $"shell-{i}", Kind = "shell", Ts = Parse(s.Ts), Command = s.Command, IsError = false,
            }).ToList());

    public Task PrAsync(int number, string state, string created, string? merged, string title = "Add health status endpoint", string head = "feature/health-endpoint", string repo = "o/r") =>
        _graph.PrAsync(repo, number, title, state, Parse(created), merged is null ? null : Parse(merged), headRef: head);

    /// <summary>A commit of the PR linked to a session, and the session linked to the PR through it, as the linker leaves them.</summary>
    public async Task CommitLinkAsync(int pr, string sha, string session, string type, double confidence, string repo = "o/r")
    {
        await _graph.PrCommitAsync(repo, pr, sha);
        await _graph.LinkAsync(repo, sha, session, type, confidence, "{}");
        await _graph.SessionPrLinkAsync(session, repo, pr, confidence: confidence);
    }

    /// <summary>A review artifact as the signed-artifact receiver records it, naming the session that wrote the review.</summary>
    public Task ReviewArtifactAsync(int pr, string session, string reviewId, string repo = "o/r") =>
        new ArtifactStore(connections, TimeProvider.System).InsertAsync(new ArtifactRecord
        {
            Provider = "github",
            RepoSlug = repo,
            Kind = "review",
            ReviewId = reviewId,
            PrNumber = pr,
            SpanId = session,
            InstanceId = "default",
            MetadataJson = "{}",
            CapturedTs = Linked,
        }, CancellationToken.None);

    public Task TouchAsync(string targetKey, string sha, string classification, string ts, string repo = "o/r") =>
        _graph.TouchAsync(repo, "pr", targetKey, sha, classification, Parse(ts), filesJson: "[]");

    private static DateTimeOffset Parse(string ts) => DateTimeOffset.Parse(ts, System.Globalization.CultureInfo.InvariantCulture);
}
