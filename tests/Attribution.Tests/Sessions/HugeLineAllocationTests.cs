using System.Text;
using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Sessions;

/// <summary>
/// Tests that measure the process's allocations (<see cref="GC.GetTotalAllocatedBytes"/> counts every thread) run
/// with no other test class in parallel: under a parallel suite another class's work was counted too.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationMeasuredCollection
{
    public const string Name = "allocation-measured";
}

[Collection(AllocationMeasuredCollection.Name)]
public sealed class HugeLineAllocationTests
{
    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task HugeSingleLine_200MB_SkippedWithoutBufferingWhole(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);
        var file = Path.Combine(h.Folder, "huge.jsonl");
        var fixture = await File.ReadAllBytesAsync(SessionHarness.Fixture("claude-code/minimal-write-commit.jsonl"));
        await using (var stream = File.Create(file))
        {
            await stream.WriteAsync("{\"type\":\"user\",\"sessionId\":\"huge\",\"message\":{\"content\":\""u8.ToArray());
            var chunk = Encoding.ASCII.GetBytes(new string('a', 1024 * 1024));
            for (var i = 0; i < 200; i++)
            {
                await stream.WriteAsync(chunk);
            }

            await stream.WriteAsync("\"}}\n"u8.ToArray());
            await stream.WriteAsync(fixture);
        }

        try
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var summary = await h.IngestAsync(file);
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

            summary.SkippedLines.Should().Be(1);
            summary.Warnings.Should().ContainSingle().Which.Should().Be($"{file}:1: line longer than the 32 MiB limit");
            (await h.EventsAsync("test-session-id", "commit")).Should().ContainSingle();
            allocated.Should().BeLessThan(120L * 1024 * 1024, "the long line is scanned, not held");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
