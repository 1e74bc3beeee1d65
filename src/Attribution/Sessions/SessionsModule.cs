using System.CommandLine;
using Attribution.Hosting;
using Attribution.Store;
using Microsoft.Extensions.Options;
using Attribution.Common;

namespace Attribution.Sessions;

/// <summary>Wiring of the Sessions feature: services, endpoints and CLI commands.</summary>
public static class SessionsModule
{
    public static IServiceCollection AddSessions(this IServiceCollection services, IConfiguration configuration, HostMode mode)
    {
        services.AddSettings<SessionOptions>(configuration, SessionOptions.Section);
        services.AddSingleton<SessionStore>();
        services.AddSingleton<RepoPaths>();
        services.AddSingleton(sp =>
        {
            var path = sp.GetRequiredService<IOptions<SessionOptions>>().Value.PricesPath;
            return string.IsNullOrWhiteSpace(path) ? new PriceTable() : new PriceTable(PriceTable.Load(path));
        });
        services.AddSingleton<SessionIngestor>();
        services.AddSingleton<IValidateOptions<SessionOptions>, SessionOptionsValidator>();

        if (mode == HostMode.Serve && configuration.GetValue(SessionOptions.Section + ":Watch", true))
        {
            services.AddHostedService<SessionWatcher>();
        }

        return services;
    }

    public static IEndpointRouteBuilder MapSessionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapSessionImport();
        return endpoints;
    }

    public static void AddSessionCommands(RootCommand root, CliContext cli)
    {
        var paths = new Argument<string[]>("path")
        {
            Description = "Transcript files or folders (recursive *.jsonl). Default: ~/.claude/projects and ~/.codex/sessions.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var repo = new Option<string?>("--repo") { Description = "Attribute every session read to this repository (owner/name)." };
        var command = new Command("sessions", "Ingest Claude Code and Codex session transcripts.");
        command.Arguments.Add(paths);
        command.Options.Add(repo);
        command.SetAction((parseResult, ct) => cli.RunAsync(parseResult, async (services, token) =>
        {
            var inputs = parseResult.GetValue(paths) ?? [];
            var repoSlug = parseResult.GetValue(repo);
            if (repoSlug is not null && repoSlug.Trim().Trim('/').Split('/').Length < 2)
            {
                throw CliException.Usage($"--repo must look like owner/name, not '{repoSlug}'");
            }

            foreach (var input in inputs)
            {
                if (!File.Exists(input) && !Directory.Exists(input))
                {
                    throw CliException.Usage($"no such file or folder: {input}");
                }
            }

            var folders = inputs.Length > 0 ? inputs : [.. TranscriptFiles.DefaultFolders().Where(Directory.Exists)];
            var ingestor = services.GetRequiredService<SessionIngestor>();
            var progress = new Progress<(int Done, int Total, string Path)>(p =>
            {
                if (CliContext.Interactive)
                {
                    Console.Error.Write($"\r{p.Done}/{p.Total} files");
                }
            });
            var summary = await ingestor.IngestAsync(folders, repoSlug is null ? null : RepoSlug.Normalize(repoSlug), progress, token);
            if (CliContext.Interactive && summary.Files > 0)
            {
                Console.Error.WriteLine();
            }

            Console.Out.WriteLine(
                $"files: {summary.Files} (read {summary.FilesRead}), sessions: {summary.SessionsNew} new, {summary.SessionsUpdated} updated, " +
                $"events: {summary.Events}, lines skipped: {summary.SkippedLines}");
            if (summary.SessionsWithoutRepository > 0)
            {
                Console.Out.WriteLine(
                    $"{summary.SessionsWithoutRepository} sessions have no repository: their working folders are not clones registered here. " +
                    "Register the clone (attribution ingest git --path CLONE --repo owner/name), or ingest these transcripts again with --repo owner/name.");
            }

            return ExitCodes.Success;
        }, ct));
        root.Ingest().Subcommands.Add(command);
    }
}
