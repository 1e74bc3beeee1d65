using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Sessions;

/// <summary>
/// Transcripts whose working folder is not a clone on this machine leave sessions without a repository: the summary
/// counts them, and ingesting the same transcripts again with --repo assigns it (issue 21).
/// </summary>
public sealed class SessionsWithoutRepositoryTests
{
    private const string Session = "78368290-ee0b-474f-8052-bb65a9a581d6";

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task IngestAgainWithRepo_AssignsTheRepositoryToUnchangedTranscripts(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);
        var file = h.Copy(SessionHarness.Fixture("claude-code/entire-edit-commit-push.jsonl"));

        var first = await h.IngestAsync(file);

        (await h.SessionAsync(Session)).RepoSlug.Should().BeNull("the transcript's folder (/Users/dip/Repositories/cli) is not a clone here");
        first.SessionsWithoutRepository.Should().Be(1);

        var second = await h.IngestForRepoAsync("dipree/cli", file);

        (await h.SessionAsync(Session)).RepoSlug.Should().Be("dipree/cli");
        second.SessionsWithoutRepository.Should().Be(0);
        (await h.EventsAsync(Session, "commit")).Should().ContainSingle("reading the file again adds nothing twice");

        var third = await h.IngestForRepoAsync("dipree/cli", file);
        third.FilesRead.Should().Be(0, "with every session assigned, an unchanged file is skipped again");
    }
}
