using Attribution.Backfill;

namespace Attribution.Tests.Backfill;

public sealed class ConsoleProgressTests
{
    [Fact]
    public void Report_Redirected_WritesOnePlainLinePerPage()
    {
        using var writer = new StringWriter();
        var progress = new ConsoleProgress(writer, interactive: false, "github o/r");
        var stats = new BackfillStats { PullRequestsNew = 1 };

        progress.Report(1, 10, stats);
        progress.Report(1, 9, stats);
        progress.Report(2, 8, stats);
        progress.Complete();

        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(2);
        lines[0].Should().StartWith("github o/r: page 1, #10; PRs 1");
        lines[1].Should().StartWith("github o/r: page 2, #8;");
        writer.ToString().Should().NotContain("\r");
    }

    [Fact]
    public void Report_Terminal_RedrawsOneLineInPlace()
    {
        using var writer = new StringWriter();
        var progress = new ConsoleProgress(writer, interactive: true, "gitlab g/p");

        progress.Report(1, 3, new BackfillStats());
        progress.Report(1, 2, new BackfillStats());
        progress.Complete();

        var text = writer.ToString();
        text.Count(c => c == '\r').Should().Be(2);
        text.Count(c => c == '\n').Should().Be(1, "the line is finished once at the end");
    }
}
