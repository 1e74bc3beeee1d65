using Attribution.Sessions;
using Microsoft.Extensions.Logging.Abstractions;

namespace Attribution.Tests.Sessions;

public sealed class SessionWatcherTests
{
    [Fact]
    public async Task Watcher_ExistingAndNewTranscripts_IngestedOnStartAndOnChange()
    {
        await using var h = await SessionHarness.CreateAsync("sqlite");
        var projects = Directory.CreateDirectory(Path.Combine(h.Folder, "projects", "-work-demo")).FullName;
        File.Copy(SessionHarness.Fixture("claude-code/minimal-write-commit.jsonl"), Path.Combine(projects, "a.jsonl"));
        using var watcher = new SessionWatcher(h.Ingestor, TimeProvider.System, NullLogger<SessionWatcher>.Instance) { Folders = [Path.Combine(h.Folder, "projects")] };

        await watcher.StartAsync(CancellationToken.None);
        var first = await WaitForAsync(h, "test-session-id");
        File.Copy(SessionHarness.Fixture("claude-code/gitai-thinking-edit.jsonl"), Path.Combine(projects, "b.jsonl"));
        var second = await WaitForAsync(h, "dac34307-159f-4fcd-9c21-35210246ad38");
        await watcher.StopAsync(CancellationToken.None);

        first.Should().BeTrue();
        second.Should().BeTrue();
        h.Signal.Version.Should().BeGreaterThanOrEqualTo(2);
    }

    private static async Task<bool> WaitForAsync(SessionHarness h, string sessionId)
    {
        for (var i = 0; i < 150; i++)
        {
            if (await h.Store.GetSessionAsync(sessionId, CancellationToken.None) is not null)
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }
}
