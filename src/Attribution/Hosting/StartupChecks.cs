using Attribution.Store;
using Microsoft.Extensions.Options;
using Attribution.Common;

namespace Attribution.Hosting;

/// <summary>
/// Turns bad settings and an unusable database into one clear sentence (a <see cref="StartupException"/>)
/// instead of a stack dump.
/// </summary>
public static class StartupChecks
{
    public static void ValidateOptions(IServiceProvider services)
    {
        var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var problem = DatabaseSettings.Validate(database);
        if (problem is not null)
        {
            throw new StartupException(ExitCodes.Usage, problem);
        }
    }

    public static async Task<MigrationResult> MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        try
        {
            return await services.GetRequiredService<MigrationRunner>().MigrateAsync(cancellationToken);
        }
        catch (MigrationException ex)
        {
            throw new StartupException(ExitCodes.Failure, ex.Message);
        }
        catch (Exception ex) when (DatabaseSettings.IsUnreachable(ex))
        {
            throw new StartupException(ExitCodes.Failure, DatabaseSettings.DescribeFailure(database, ex));
        }
    }

    /// <summary>Checks <c>--urls</c> / <c>ASPNETCORE_URLS</c> values before Kestrel sees them.</summary>
    public static void ValidateUrls(string? urls)
    {
        if (string.IsNullOrWhiteSpace(urls))
        {
            return;
        }

        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var probe = url.Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal);
            if (!Uri.TryCreate(probe, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new StartupException(ExitCodes.Usage, $"--urls: '{url}' is not an http:// or https:// address (e.g. http://127.0.0.1:5080).");
            }
        }
    }
}

/// <summary>The host cannot start; the message says why in one sentence.</summary>
public sealed class StartupException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
