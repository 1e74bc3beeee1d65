using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Hosting;

public sealed class CliTests
{
    private static Dictionary<string, string?> Sqlite(string path) => new()
    {
        ["ATTRIBUTION_DB_PROVIDER"] = "sqlite",
        ["ATTRIBUTION_DB"] = path,
    };

    [Fact]
    public async Task UnknownCommand_ExitsTwoWithUsageOnStderr()
    {
        var result = await CliProcess.RunAsync(["frobnicate"]);

        result.ExitCode.Should().Be(2);
        result.StdErr.Should().Contain("frobnicate").And.Contain("Usage:");
        result.StdOut.Should().BeEmpty();
    }

    [Fact]
    public async Task BadOption_ExitsTwoWithUsageOnStderr()
    {
        var result = await CliProcess.RunAsync(["migrate", "--no-such-option"]);

        result.ExitCode.Should().Be(2);
        result.StdErr.Should().Contain("--no-such-option").And.Contain("Usage:");
    }

    [Fact]
    public async Task Migrate_FreshSqlite_AppliesThenIsANoOp()
    {
        var dir = Directory.CreateTempSubdirectory("attribution-cli-");
        var env = Sqlite(Path.Combine(dir.FullName, "nested", "a.db"));

        var first = await CliProcess.RunAsync(["migrate"], env);
        var second = await CliProcess.RunAsync(["migrate"], env);

        first.ExitCode.Should().Be(0, first.StdErr);
        first.StdOut.Should().Contain("applied").And.Contain("0001_foundation");
        second.ExitCode.Should().Be(0, second.StdErr);
        second.StdOut.Should().Contain("up to date");
        dir.Delete(recursive: true);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Migrate_ThroughEnvironment_CreatesTheSameTablesOnEitherProvider(string provider)
    {
        await using var db = await TestDatabase.CreateEmptyAsync(provider);
        var env = new Dictionary<string, string?>
        {
            ["ATTRIBUTION_DB_PROVIDER"] = db.Options.Provider,
            ["ATTRIBUTION_DB"] = db.Options.Connection,
        };

        var first = await CliProcess.RunAsync(["migrate"], env);
        var second = await CliProcess.RunAsync(["migrate"], env);

        first.ExitCode.Should().Be(0, first.StdErr);
        second.StdOut.Should().Contain("up to date");
    }

    [Fact]
    public async Task Migrate_UnknownProvider_ExitsTwoWithOneLine()
    {
        var result = await CliProcess.RunAsync(["migrate"], new Dictionary<string, string?> { ["ATTRIBUTION_DB_PROVIDER"] = "mysql" });

        result.ExitCode.Should().Be(2);
        result.StdErr.Trim().Should().Be("error: ATTRIBUTION_DB_PROVIDER must be 'sqlite' or 'postgres', not 'mysql'.");
    }

    [Fact]
    public async Task Migrate_MalformedPostgresConnectionString_ExitsTwoWithOneLine()
    {
        var result = await CliProcess.RunAsync(["migrate"], new Dictionary<string, string?>
        {
            ["ATTRIBUTION_DB_PROVIDER"] = "postgres",
            ["ATTRIBUTION_DB"] = "this is not;a=connection;string==",
        });

        result.ExitCode.Should().Be(2);
        result.StdErr.Trim().Split('\n').Should().ContainSingle().Which.Should().StartWith("error: ATTRIBUTION_DB");
    }

    [Fact]
    public async Task Migrate_UnreachablePostgres_ExitsThreeWithOneLineAndNoPassword()
    {
        var result = await CliProcess.RunAsync(["migrate"], new Dictionary<string, string?>
        {
            ["ATTRIBUTION_DB_PROVIDER"] = "postgres",
            ["ATTRIBUTION_DB"] = "Host=127.0.0.1;Port=1;Username=u;Password=hunter2;Database=x;Timeout=3",
        });

        result.ExitCode.Should().Be(3);
        var lines = result.StdErr.Trim().Split('\n');
        lines.Should().ContainSingle().Which.Should().StartWith("error: cannot reach the PostgreSQL database (host 127.0.0.1, port 1");
        result.StdErr.Should().NotContain("hunter2").And.NotContain("   at ");
    }

    [Fact]
    public async Task Migrate_UnwritableSqlitePath_ExitsNonZeroWithOneLine()
    {
        var file = Path.GetTempFileName();
        var result = await CliProcess.RunAsync(["migrate"], Sqlite(Path.Combine(file, "under-a-file", "a.db")));

        result.ExitCode.Should().Be(3);
        result.StdErr.Trim().Split('\n').Should().ContainSingle().Which.Should().StartWith("error: cannot open the SQLite database");
        File.Delete(file);
    }

    [Fact]
    public async Task Serve_UnreachableDatabase_ExitsWithOneLineInsteadOfServing()
    {
        var result = await CliProcess.RunAsync(["serve", "--urls", "http://127.0.0.1:0"], new Dictionary<string, string?>
        {
            ["ATTRIBUTION_DB_PROVIDER"] = "postgres",
            ["ATTRIBUTION_DB"] = "Host=127.0.0.1;Port=1;Username=u;Database=x;Timeout=3",
        });

        result.ExitCode.Should().Be(3);
        result.StdErr.Should().Contain("error: cannot reach the PostgreSQL database").And.NotContain("   at ");
    }

    [Fact]
    public async Task Serve_InvalidUrl_ExitsTwo()
    {
        var dir = Directory.CreateTempSubdirectory("attribution-cli-");
        var result = await CliProcess.RunAsync(["serve", "--urls", "not a url"], Sqlite(Path.Combine(dir.FullName, "a.db")));

        result.ExitCode.Should().Be(2);
        result.StdErr.Should().StartWith("error:").And.NotContain("   at ");
        dir.Delete(recursive: true);
    }

    [Fact]
    public async Task Serve_PortInUse_ExitsTwoWithOneLineAndNoStackTrace()
    {
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        var port = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port;
        var dir = Directory.CreateTempSubdirectory("attribution-cli-");

        var result = await CliProcess.RunAsync(["serve", "--urls", $"http://127.0.0.1:{port}"], Sqlite(Path.Combine(dir.FullName, "a.db")));

        result.ExitCode.Should().Be(2);
        result.StdErr.Trim().Split('\n').Should().ContainSingle()
            .Which.Should().StartWith("error: cannot listen:").And.Contain($"127.0.0.1:{port}").And.Contain("address already in use");
        (result.StdOut + result.StdErr).Should().NotContain("   at ").And.NotContain("Hosting failed to start");
        dir.Delete(recursive: true);
    }
}
