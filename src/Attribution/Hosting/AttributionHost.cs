using Attribution.Store;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Attribution.Common;

namespace Attribution.Hosting;

/// <summary>
/// Builds the one dependency graph both doors use: <c>serve</c> runs it as a web host, CLI commands
/// resolve their handler from it without starting the server.
/// </summary>
public static class AttributionHost
{
    /// <summary>
    /// Host configuration given as <c>--key=value</c>: the host's own keys (contentRoot, environment,
    /// applicationName) and any key of the Attribution section, such as <c>--Attribution:Database:Provider=postgres</c>.
    /// </summary>
    public static bool IsHostArgument(string arg)
    {
        var eq = arg.IndexOf('=', StringComparison.Ordinal);
        if (!arg.StartsWith("--", StringComparison.Ordinal) || eq < 3)
        {
            return false;
        }

        var key = arg[2..eq];
        return key.StartsWith("Attribution", StringComparison.OrdinalIgnoreCase)
            || key.Equals("contentRoot", StringComparison.OrdinalIgnoreCase)
            || key.Equals("environment", StringComparison.OrdinalIgnoreCase)
            || key.Equals("applicationName", StringComparison.OrdinalIgnoreCase);
    }

    public static WebApplication Build(HostSettings settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // No watcher on the content root: it is usually the data folder's parent, and a file watcher there wakes on
            // every database write (a measurable share of the webhook path's CPU). Settings changes need a restart.
            Args = ["--hostBuilder:reloadConfigOnChange=false", .. settings.HostArgs],
            ContentRootPath = settings.ContentRoot,
        });

        // ATTRIBUTION_* variables override appsettings; command-line settings override both.
        builder.Configuration.AddInMemoryCollection(EnvironmentMapping.FromEnvironment(Environment.GetEnvironmentVariable));
        builder.Configuration.AddInMemoryCollection(settings.Overrides);
        if (!string.IsNullOrEmpty(settings.Urls))
        {
            builder.WebHost.UseUrls(settings.Urls);
        }
        else if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls("http://127.0.0.1:5080");
        }

        // Requests must name a host the server is bound as (DNS rebinding defence), unless AllowedHosts says otherwise.
        if (string.IsNullOrEmpty(builder.Configuration[AllowedHostsDefault.Key]))
        {
            var urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey) ?? builder.Configuration["urls"] ?? builder.Configuration["ASPNETCORE_URLS"] ?? "http://127.0.0.1:5080";
            builder.Configuration[AllowedHostsDefault.Key] = AllowedHostsDefault.For(urls);
        }

        var jsonLogs = string.Equals(settings.LogFormat ?? builder.Configuration["Attribution:Logging:Format"], "json", StringComparison.OrdinalIgnoreCase);
        builder.Services.AddSerilog((services, logger) =>
        {
            // Defaults first, so a Serilog section (or Serilog__MinimumLevel__Default) in configuration overrides them. A
            // command prints its own summary on stdout, so on the command line (text logs) information events, which
            // say the same for the service's log, would repeat it: only warnings and errors are shown there.
            var level = settings.Mode == HostMode.Cli && !jsonLogs ? LogEventLevel.Warning : LogEventLevel.Information;
            logger.MinimumLevel.Is(level)
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
                .ReadFrom.Configuration(builder.Configuration)
                .Enrich.FromLogContext()
                .Enrich.With(new ControlCharacterEnricher())
                // A port in use is a usage error that serve reports in one line (exit 2); the host's own
                // "Hosting failed to start" event would print Kestrel's stack trace before it.
                .Filter.ByExcluding(e => IsAddressInUse(e.Exception));
            // CLI output owns stdout; logs go to stderr there.
            var stderrFrom = settings.Mode == HostMode.Cli ? LogEventLevel.Verbose : (LogEventLevel?)null;
            if (jsonLogs)
            {
                logger.WriteTo.Console(new CompactJsonFormatter(), standardErrorFromLevel: stderrFrom);
            }
            else
            {
                logger.WriteTo.Console(
                    outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}",
                    standardErrorFromLevel: stderrFrom,
                    formatProvider: System.Globalization.CultureInfo.InvariantCulture);
            }
        });

        builder.Services.AddAttribution(builder.Configuration, settings.Mode);
        var app = builder.Build();
        // A command serves no HTTP: mapping the pages, the API, MCP and OpenAPI was 0.2 s of every command's start.
        if (settings.Mode != HostMode.Cli)
        {
            app.UseAttribution();
        }

        return app;
    }

    /// <summary>Kestrel's failure to bind an address another process holds (an <see cref="IOException"/> wrapping <c>AddressInUseException</c>).</summary>
    public static bool IsAddressInUse(Exception? ex) =>
        ex is IOException { InnerException: Microsoft.AspNetCore.Connections.AddressInUseException };
}

/// <summary>What the command line says about the host.</summary>
public sealed record HostSettings(HostMode Mode)
{
    public string[] HostArgs { get; init; } = [];
    public string? ContentRoot { get; init; }
    public string? Urls { get; init; }
    public string? LogFormat { get; init; }
    public Dictionary<string, string?> Overrides { get; init; } = new(StringComparer.OrdinalIgnoreCase);
}
