using Attribution.Ingest;
using System.CommandLine;
using System.CommandLine.Help;
using Attribution.Api;
using Attribution.Reports;
using Attribution.Artifacts;
using Attribution.Backfill;
using Attribution.Decisions;
using Attribution.Git;
using Attribution.Linking;
using Attribution.Mcp;
using Attribution.Sessions;
using Attribution.Stages;
using Attribution.Store;
using Attribution.Webhooks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Attribution.Common;

namespace Attribution.Hosting;

/// <summary>The command line: <c>serve</c> (the default), <c>migrate</c>, and every feature's commands.</summary>
public static class AttributionCli
{
    public static async Task<int> RunAsync(string[] args)
    {
        var hostArgs = args.Where(AttributionHost.IsHostArgument).ToArray();
        var commandArgs = args.Where(a => !AttributionHost.IsHostArgument(a)).ToArray();
        var root = Build(hostArgs);
        var parseResult = root.Parse(commandArgs);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
            {
                await Console.Error.WriteLineAsync($"error: {error.Message}");
            }

            await Console.Error.WriteLineAsync();
            await WriteUsageAsync(root, parseResult);
            return ExitCodes.Usage;
        }

        if (parseResult.CommandResult.Command is RootCommand || parseResult.CommandResult.Command.Name == "serve")
        {
            // The server writes only its log, whose values the log pipeline escapes (ControlCharacterEnricher).
            return await parseResult.InvokeAsync();
        }

        // A command's output has its control characters shown, not obeyed (commit subjects and models are untrusted).
        var (stdout, stderr) = (Console.Out, Console.Error);
        Console.SetOut(new TerminalSafeWriter(stdout, keepCarriageReturn: OperatingSystem.IsWindows()));
        Console.SetError(new TerminalSafeWriter(stderr, keepCarriageReturn: true));
        try
        {
            return await parseResult.InvokeAsync();
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }

    public static RootCommand Build(string[] hostArgs)
    {
        var cli = new CliContext(hostArgs);
        var root = new RootCommand(
            "Attribution: links AI coding-agent sessions to the commits, PRs, CI runs and later fixes they led to.");
        root.Options.Add(cli.LogFormat);

        var urls = new Option<string?>("--urls") { Description = "Addresses to listen on (default http://127.0.0.1:5080)." };
        var serve = new Command("serve", "Serve the dashboard, JSON API, webhook receivers and MCP endpoint (the default).");
        serve.Options.Add(urls);
        serve.SetAction((parseResult, ct) => ServeAsync(hostArgs, parseResult.GetValue(urls), parseResult.GetValue(cli.LogFormat), ct));
        root.Subcommands.Add(serve);
        root.Options.Add(urls);
        root.SetAction((parseResult, ct) => ServeAsync(hostArgs, parseResult.GetValue(urls), parseResult.GetValue(cli.LogFormat), ct));

        var migrate = new Command("migrate", "Apply pending database migrations and exit.");
        migrate.SetAction((parseResult, ct) => cli.RunAsync(parseResult, async (services, token) =>
        {
            var result = await StartupChecks.MigrateAsync(services, token);
            Console.WriteLine(result.Applied.Count == 0
                ? $"database is up to date ({result.Known} migrations)"
                : $"applied {result.Applied.Count} migration(s): {string.Join(", ", result.Applied)}");
            return ExitCodes.Success;
        }, ct, migrate: false));
        root.Subcommands.Add(migrate);

        SessionsModule.AddSessionCommands(root, cli);
        IngestModule.AddIngestCommands(root, cli);
        LinkingModule.AddLinkingCommands(root, cli);
        ArtifactsModule.AddArtifactCommands(root, cli);
        BackfillModule.AddBackfillCommands(root, cli);
        DecisionsModule.AddDecisionCommands(root, cli);
        StagesModule.AddStageCommands(root, cli);
        McpModule.AddMcpCommands(root, cli);
        ApiModule.AddApiCommands(root, cli);
        return root;
    }

    private static async Task<int> ServeAsync(string[] hostArgs, string? urls, string? logFormat, CancellationToken cancellationToken)
    {
        WebApplication app;
        try
        {
            StartupChecks.ValidateUrls(urls ?? Environment.GetEnvironmentVariable("ASPNETCORE_URLS"));
            app = AttributionHost.Build(new HostSettings(HostMode.Serve) { HostArgs = hostArgs, Urls = urls, LogFormat = logFormat });
            StartupChecks.ValidateOptions(app.Services);
            // Migrating here first turns an unusable database into one clear line; the hosted service then finds nothing to do.
            await StartupChecks.MigrateAsync(app.Services, cancellationToken);
        }
        catch (StartupException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return ex.ExitCode;
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync($"error: {string.Join("; ", ex.Failures)}");
            return ExitCodes.Usage;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException)
        {
            await Console.Error.WriteLineAsync($"error: invalid settings: {ex.Message}");
            return ExitCodes.Usage;
        }

        await using (app)
        {
            try
            {
                await app.RunAsync(cancellationToken);
                return ExitCodes.Success;
            }
            catch (StartupException ex)
            {
                await Console.Error.WriteLineAsync($"error: {ex.Message}");
                return ex.ExitCode;
            }
            catch (IOException ex) when (AttributionHost.IsAddressInUse(ex))
            {
                await Console.Error.WriteLineAsync($"error: cannot listen: {ex.Message}");
                return ExitCodes.Usage;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return ExitCodes.Success;
            }
            catch (Exception ex) when (ex is not HostAbortedException)
            {
                await Console.Error.WriteLineAsync($"error: unexpected failure: {ex.GetType().Name}: {ex.Message}");
                return ExitCodes.Failure;
            }
        }
    }

    private static async Task WriteUsageAsync(RootCommand root, ParseResult parseResult)
    {
        var path = new List<string>();
        for (var result = parseResult.CommandResult; result is not null && result.Command != root; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            path.Insert(0, result.Command.Name);
        }

        path.Add("--help");
        await root.Parse(path.ToArray()).InvokeAsync(new InvocationConfiguration { Output = Console.Error });
    }
}
