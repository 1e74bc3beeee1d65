using Attribution.Store;
using Attribution.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Attribution.Tests.Store;

public sealed class RepositoryStoreTests
{
    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Register_ThenList_ReturnsLowercasedSlugWithTimes(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
        var store = new RepositoryStore(db.Connections, time);

        await store.RegisterAsync("Owner/Repo", "github", "/tmp/clone", "main", CancellationToken.None);
        await store.RegisterAsync("owner/repo", "github", null, null, CancellationToken.None);
        await store.MarkScannedAsync("OWNER/REPO", CancellationToken.None);
        var all = await store.ListAsync(CancellationToken.None);

        var repo = all.Should().ContainSingle().Subject;
        repo.Slug.Should().Be("owner/repo");
        repo.DisplaySlug.Should().Be("Owner/Repo");
        repo.ClonePath.Should().Be("/tmp/clone");
        repo.DefaultBranch.Should().Be("main");
        repo.RegisteredTs.Should().Be(time.GetUtcNow());
        repo.LastScannedTs.Should().Be(time.GetUtcNow());
        (await store.FindAsync("OWNER/repo", CancellationToken.None)).Should().NotBeNull();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Cursor_SetGetDelete_RoundTrips(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = new CursorStore(db.Connections, TimeProvider.System);

        await store.SetAsync("github", "o/r", "page=3", CancellationToken.None);
        await store.SetAsync("github", "o/r", "page=4", CancellationToken.None);
        var value = await store.GetAsync("github", "o/r", CancellationToken.None);
        await store.DeleteAsync("github", "o/r", CancellationToken.None);

        value.Should().Be("page=4");
        (await store.GetAsync("github", "o/r", CancellationToken.None)).Should().BeNull();
    }
}
