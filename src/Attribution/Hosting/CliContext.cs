using System.CommandLine;
using Attribution.Store;
using Microsoft.Extensions.Options;
using Attribution.Common;

namespace Attribution.Hosting;

/// <summary>
/// Runs one CLI command inside the shared dependency graph: builds the host without starting the web
/// server, validates settings, applies migrations, then hands the services to the command.
/// </summary>
public sealed class CliContext(string[] hostArgs)
{
    /// <summary><c>--log-format text|json</c>, on every command.</summary>
    public Option<string?> LogFormat { get; } = new("--log-format")
    {
        Description = "Log format: text (default) or json.",
        Recursive = true,
    };

    /// <summary>Whether the terminal shows progress (stderr is a terminal) or plain log lines.</summary>
    public static bool Interactive => !Console.IsErrorRedirected;

    public async Task<int> RunAsync(
        ParseResult parseResult,
        Func<IServiceProvider, CancellationToken, Task<int>> command,
        CancellationToken cancellationToken,
        bool migrate = true)
    {
        var logFormat = parseResult.GetValue(LogFormat);
        try
        {
            await using var app = AttributionHost.Build(new HostSettings(HostMode.Cli)
            {
                HostArgs = hostArgs,
                LogFormat = logFormat,
            });
            StartupChecks.ValidateOptions(app.Services);
            if (migrate)
            {
                await StartupChecks.MigrateAsync(app.Services, cancellationToken);
            }

            return await command(app.Services, cancellationToken);
        }
        catch (CliException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return ex.ExitCode;
        }
        catch (StartupException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return ex.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("cancelled");
            return ExitCodes.Failure;
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync($"error: {string.Join("; ", ex.Failures)}");
            return ExitCodes.Usage;
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync($"error: unexpected failure: {ex.GetType().Name}: {ex.Message}");
            return ExitCodes.Failure;
        }
    }
}
