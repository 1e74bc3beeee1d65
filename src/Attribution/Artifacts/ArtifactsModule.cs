using Microsoft.Extensions.DependencyInjection.Extensions;
using System.CommandLine;
using Attribution.Hosting;
using Attribution.Store;
using Microsoft.Extensions.Options;
using Attribution.Common;

namespace Attribution.Artifacts;

/// <summary>Wiring of the Artifacts feature: services, endpoints and CLI commands.</summary>
public static class ArtifactsModule
{
    public static IServiceCollection AddArtifacts(this IServiceCollection services, IConfiguration configuration, HostMode mode)
    {
        services.AddSettings<ArtifactOptions>(configuration, ArtifactOptions.Section)
            .Validate(o => o.SweepIntervalSeconds > 0 && o.SweepSettleSeconds >= 0 && o.InferenceWindowHours > 0,
                "Attribution:Artifacts intervals must be positive.");
        services.AddSettings<SigningOptions>(configuration, SigningOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.InstanceId), "ATTRIBUTION_INSTANCE_ID must not be blank.");
        services.AddSingleton<ArtifactStore>();
        services.AddSingleton<ArtifactCapture>();
        services.AddSingleton<ArtifactResolver>();

        // Signed trailers become authored links in the engine (replaces its verify-nothing default).
        services.Replace(ServiceDescriptor.Singleton<Linking.IAgentsAttributionVerifier, SignedTrailerVerifier>());
        if (mode == HostMode.Serve)
        {
            services.AddSingleton<ArtifactSweeper>();
            services.AddHostedService(sp => sp.GetRequiredService<ArtifactSweeper>());
        }

        return services;
    }

    public static IEndpointRouteBuilder MapArtifactEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapArtifactApi();
        return endpoints;
    }

    public static void AddArtifactCommands(RootCommand root, CliContext cli)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(cli);
        var session = new Option<string>("--session") { Description = "Session id (the span_id of the metadata).", Required = true };
        var repo = new Option<string>("--repo") { Description = "Repository owner/name the artifact belongs to.", Required = true };
        var number = new Option<long>("--number") { Description = "Issue or PR number (omitted when 0)." };
        var workspace = new Option<string?>("--workspace") { Description = "Workspace, signed as given (\"\" included); default: ATTRIBUTION_WORKSPACE, else default." };
        var agentName = new Option<string?>("--agent-name") { Description = "Agent name, e.g. coder." };
        var agentId = new Option<string?>("--agent-id") { Description = "Agent id (optional)." };
        var sign = new Command("sign", "Print a signed Agents-Attribution commit trailer and the matching <!-- agents-run --> comment marker.");
        sign.Options.Add(session);
        sign.Options.Add(repo);
        sign.Options.Add(number);
        sign.Options.Add(workspace);
        sign.Options.Add(agentName);
        sign.Options.Add(agentId);
        sign.SetAction((parseResult, ct) => cli.RunAsync(parseResult, (services, _) =>
        {
            var key = SigningKey.From(services.GetRequiredService<IOptions<SigningOptions>>().Value);
            if (!key.HasSecret)
            {
                throw CliException.Usage("ATTRIBUTION_SIGNING_SECRET is not set: cannot sign attribution metadata.");
            }

            var slug = parseResult.GetValue(repo);
            if (!RepoSlug.IsValid(slug))
            {
                throw CliException.Usage($"--repo '{slug}' is not owner/name.");
            }

            var sessionId = parseResult.GetValue(session)?.Trim();
            if (string.IsNullOrEmpty(sessionId) || sessionId.Any(char.IsControl))
            {
                throw CliException.Usage("--session must be a session id.");
            }

            var n = parseResult.GetValue(number);
            if (n < 0)
            {
                throw CliException.Usage("--number must not be negative.");
            }

            var metadata = AttributionSigner.Create(
                key,
                parseResult.GetValue(workspace),
                RepoSlug.Normalize(slug!),
                n,
                sessionId,
                parseResult.GetValue(agentId) ?? "",
                parseResult.GetValue(agentName) ?? "");
            Console.Out.WriteLine(AttributionMarkers.TrailerLine(metadata));
            Console.Out.WriteLine(AttributionMarkers.CommentMarker(metadata));
            return Task.FromResult(ExitCodes.Success);
        }, ct, migrate: false));
        root.Subcommands.Add(sign);
    }
}
