using Attribution.Hosting;
using Attribution.Sessions;
using Attribution.Store;
using Attribution.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Attribution.Common;

namespace Attribution.Tests.Sessions;

/// <summary>A migrated database of one provider with the session ingest wired to it, and a temp folder for transcripts.</summary>
public sealed class SessionHarness : IAsyncDisposable
{
    private SessionHarness(TestDatabase database)
    {
        Database = database;
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero));
        Store = new SessionStore(database.Connections, Time);
        Repositories = new RepositoryStore(database.Connections, Time);
        Commits = new CommitStore(database.Connections, Time);
        Signal = new ChangeSignal();
        Ingestor = new SessionIngestor(Store, Repositories, new PriceTable(), new RepoPaths(), Signal, NullLogger<SessionIngestor>.Instance);
        Folder = Directory.CreateTempSubdirectory("attribution-sessions-").FullName;
    }

    public TestDatabase Database { get; }
    public FakeTimeProvider Time { get; }
    public SessionStore Store { get; }
    public RepositoryStore Repositories { get; }
    public CommitStore Commits { get; }
    public ChangeSignal Signal { get; }
    public SessionIngestor Ingestor { get; }
    public string Folder { get; }

    public static async Task<SessionHarness> CreateAsync(string provider) => new(await TestDatabase.CreateAsync(provider));

    public static string Fixture(string name) => FixtureFiles.Fixture(Path.Combine("sessions", name));

    /// <summary>Copies a fixture into the temp folder (so it can be appended to or rewritten).</summary>
    public string Copy(string fixture, string? name = null)
    {
        var target = Path.Combine(Folder, name ?? Path.GetFileName(fixture));
        File.Copy(Fixture(fixture), target, overwrite: true);
        return target;
    }

    public Task<SessionIngestSummary> IngestAsync(params string[] paths) => Ingestor.IngestAsync(paths, null, null, CancellationToken.None);

    public Task<SessionIngestSummary> IngestForRepoAsync(string repo, params string[] paths) => Ingestor.IngestAsync(paths, repo, null, CancellationToken.None);

    public async Task<SessionRecord> SessionAsync(string id) =>
        await Store.GetSessionAsync(id, CancellationToken.None) ?? throw new InvalidOperationException($"session {id} not stored");

    public async Task<IReadOnlyList<SessionEventRecord>> EventsAsync(string id, string? kind = null) =>
        [.. (await Store.ListEventsAsync(id, CancellationToken.None)).Where(e => kind is null || e.Kind == kind)];

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Temp folder; the OS cleans it.
        }
    }
}
