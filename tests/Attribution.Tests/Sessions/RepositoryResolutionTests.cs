using Attribution.Store;
using Attribution.Tests.Infrastructure;
using LibGit2Sharp;

namespace Attribution.Tests.Sessions;

public sealed class RepositoryResolutionTests
{
    private const string EditCommitPush = "78368290-ee0b-474f-8052-bb65a9a581d6";
    private const string PublicCommit = "6289e2b26b707b3fa79a793cdcadeac0c325d4c8";

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ExplicitRepo_SetsSlugLowercased(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);

        await h.IngestForRepoAsync("EntireIO/CLI", SessionHarness.Fixture("claude-code/entire-edit-commit-push.jsonl"));

        (await h.SessionAsync(EditCommitPush)).RepoSlug.Should().Be("entireio/cli");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task CwdIsRegisteredClone_OriginRemoteGivesRepoAndGitRootPaths(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);
        var clone = Path.Combine(h.Folder, "widget");
        Repository.Init(clone);
        using (var repository = new Repository(clone))
        {
            repository.Network.Remotes.Add("origin", "git@github.com:Acme/Widget.git");
        }

        var sub = Directory.CreateDirectory(Path.Combine(clone, "src")).FullName;
        await h.Repositories.RegisterAsync("Acme/Widget", "github", clone, "main", CancellationToken.None);
        var transcript = Path.Combine(h.Folder, "local.jsonl");
        await File.WriteAllTextAsync(transcript, $$$$"""
            {"type":"assistant","sessionId":"local-1","cwd":"{{{{sub}}}}","timestamp":"2026-01-01T00:00:00Z","uuid":"u1","message":{"id":"m1","model":"claude-sonnet-4-5","content":[{"type":"tool_use","id":"t1","name":"Edit","input":{"file_path":"{{{{sub}}}}/app.cs","new_string":"x"}}],"usage":{"input_tokens":1,"output_tokens":1}}}

            """);

        await h.IngestAsync(transcript);

        (await h.SessionAsync("local-1")).RepoSlug.Should().Be("acme/widget");
        (await h.EventsAsync("local-1", "edit")).Should().ContainSingle().Which.Path.Should().Be("src/app.cs");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task CwdCloneNotRegistered_NoRepo(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);
        var clone = Path.Combine(h.Folder, "other");
        Repository.Init(clone);
        using (var repository = new Repository(clone))
        {
            repository.Network.Remotes.Add("origin", "https://github.com/acme/other.git");
        }

        var transcript = Path.Combine(h.Folder, "t.jsonl");
        await File.WriteAllTextAsync(transcript, $$$$"""
            {"type":"user","sessionId":"local-2","cwd":"{{{{clone}}}}","timestamp":"2026-01-01T00:00:00Z","uuid":"u1","message":{"content":"hi"}}

            """);

        await h.IngestAsync(transcript);

        (await h.SessionAsync("local-2")).RepoSlug.Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SessionCommitInOneRegisteredRepo_ThatRepo(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);
        await RegisterWithCommitAsync(h, "entireio/cli", PublicCommit);
        await RegisterWithCommitAsync(h, "someone/else", "0000000000000000000000000000000000000001");

        await h.IngestAsync(SessionHarness.Fixture("claude-code/entire-edit-commit-push.jsonl"));

        (await h.SessionAsync(EditCommitPush)).RepoSlug.Should().Be("entireio/cli");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SessionCommitInTwoRegisteredRepos_Ambiguous_NoRepo(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);
        await RegisterWithCommitAsync(h, "entireio/cli", PublicCommit);
        await RegisterWithCommitAsync(h, "fork/cli", PublicCommit);

        await h.IngestAsync(SessionHarness.Fixture("claude-code/entire-edit-commit-push.jsonl"));

        (await h.SessionAsync(EditCommitPush)).RepoSlug.Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SessionWithoutRepo_CommitLearnedLater_ResolvedOnNextIngest(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);
        var file = h.Copy("claude-code/entire-edit-commit-push.jsonl");
        await h.IngestAsync(file);
        var before = (await h.SessionAsync(EditCommitPush)).RepoSlug;

        await RegisterWithCommitAsync(h, "entireio/cli", PublicCommit);
        await h.IngestAsync(file);

        before.Should().BeNull();
        (await h.SessionAsync(EditCommitPush)).RepoSlug.Should().Be("entireio/cli");
    }

    private static async Task RegisterWithCommitAsync(SessionHarness h, string slug, string sha)
    {
        await h.Repositories.RegisterAsync(slug, "github", null, "main", CancellationToken.None);
        await h.Commits.UpsertAsync([new CommitRecord { RepoSlug = slug, Sha = sha, Source = "git", Message = "m" }], CancellationToken.None);
    }
}
