using System.CommandLine;
using Attribution.Hosting;
using Attribution.Store;
using Attribution.Common;

namespace Attribution.Backfill;

/// <summary>Wiring of the Backfill feature: services, endpoints and CLI commands.</summary>
public static class BackfillModule
{
    public static IServiceCollection AddBackfill(this IServiceCollection services, IConfiguration configuration, HostMode mode)
    {
        services.AddSettings<BackfillOptions>(configuration, BackfillOptions.Section)
            .Validate(o => Common.Since.Parse(o.Since, DateTimeOffset.UtcNow) is not null, "Attribution:Backfill:Since must be like 7d, 12h, all or an ISO-8601 date.")
            .Validate(o => o.GitHub.All(RepoSlug.IsValid) && o.GitLab.All(RepoSlug.IsValid), "Attribution:Backfill repositories must be owner/name paths.");
        services.AddSettings<GitHubOptions>(configuration, GitHubOptions.Section)
            .Validate(o => Uri.TryCreate(o.ApiUrl, UriKind.Absolute, out _), "ATTRIBUTION_GITHUB_API_URL must be an absolute URL.");
        services.AddSettings<GitLabOptions>(configuration, GitLabOptions.Section)
            .Validate(o => Uri.TryCreate(o.Url, UriKind.Absolute, out _), "ATTRIBUTION_GITLAB_URL must be an absolute URL.");
        services.AddSingleton<BackfillRunner>();
        services.AddSingleton<BackfillService>();

        var scheduled = configuration.GetSection(BackfillOptions.Section).Get<BackfillOptions>();
        if (mode == HostMode.Serve && scheduled is { Enabled: true })
        {
            services.AddHostedService<BackfillHostedService>();
        }

        return services;
    }

    public static void AddBackfillCommands(RootCommand root, CliContext cli)
    {
        var ingest = root.Ingest();

        var repo = new Option<string>("--repo") { Description = "GitHub repository, owner/name.", Required = true };
        var since = new Option<string?>("--since") { Description = "How far back: 30d, 12h, 2w, or an ISO-8601 date (default: all history)." };
        var token = new Option<string?>("--token") { Description = "GitHub token (default ATTRIBUTION_GITHUB_TOKEN, then GITHUB_TOKEN); never stored." };
        var github = new Command("github", "Backfill pull requests, their commits and CI runs from the GitHub REST API.");
        github.Options.Add(repo);
        github.Options.Add(since);
        github.Options.Add(token);
        github.SetAction((parseResult, ct) => Invalid(parseResult.GetValue(repo), parseResult.GetValue(since)) ?? cli.RunAsync(parseResult, (services, cancel) =>
        {
            var slug = parseResult.GetValue(repo)!;
            return RunAsync(services, "github", slug, parseResult.GetValue(since),
                (backfill, limit, progress) => backfill.RunGitHubAsync(slug.Trim().Trim('/'), limit, parseResult.GetValue(token), progress, cancel));
        }, ct));
        ingest.Subcommands.Add(github);

        var project = new Option<string>("--project") { Description = "GitLab project path, group/name (subgroups allowed).", Required = true };
        var gitlabSince = new Option<string?>("--since") { Description = "How far back: 30d, 12h, 2w, or an ISO-8601 date (default: all history)." };
        var gitlab = new Command("gitlab", "Backfill merge requests, their commits, pipelines and jobs from the GitLab REST API.");
        gitlab.Options.Add(project);
        gitlab.Options.Add(gitlabSince);
        gitlab.SetAction((parseResult, ct) => Invalid(parseResult.GetValue(project), parseResult.GetValue(gitlabSince)) ?? cli.RunAsync(parseResult, (services, cancel) =>
        {
            var path = parseResult.GetValue(project)!;
            return RunAsync(services, "gitlab", path, parseResult.GetValue(gitlabSince),
                (backfill, limit, progress) => backfill.RunGitLabAsync(path.Trim().Trim('/'), limit, progress, cancel));
        }, ct));
        ingest.Subcommands.Add(gitlab);
    }

    /// <summary>Input errors are reported before the host starts, so a typo touches no database.</summary>
    private static Task<int>? Invalid(string? repository, string? sinceText)
    {
        string? error = null;
        if (!RepoSlug.IsValid(repository))
        {
            error = $"'{repository}' is not a repository path like owner/name";
        }
        else if (sinceText is not null && !Common.Since.TryParse(sinceText, DateTimeOffset.UtcNow, out _, out var sinceError))
        {
            error = "--since " + sinceError;
        }

        return error is null ? null : WriteErrorAsync(error);

        static async Task<int> WriteErrorAsync(string message)
        {
            await Console.Error.WriteLineAsync($"error: {message}");
            return ExitCodes.Usage;
        }
    }

    private static async Task<int> RunAsync(IServiceProvider services, string provider, string repository, string? sinceText,
        Func<BackfillService, DateTimeOffset?, IBackfillProgress, Task<BackfillStats>> run)
    {
        if (!RepoSlug.IsValid(repository))
        {
            throw CliException.Usage($"'{repository}' is not a repository path like owner/name");
        }

        DateTimeOffset? since = null;
        if (sinceText is not null)
        {
            if (!Common.Since.TryParse(sinceText, services.GetRequiredService<TimeProvider>().GetUtcNow(), out var window, out var sinceError))
            {
                throw CliException.Usage("--since " + sinceError);
            }

            since = window.From;
        }

        var progress = new ConsoleProgress(Console.Error, CliContext.Interactive, $"{provider} {repository}");
        BackfillStats stats;
        try
        {
            stats = await run(services.GetRequiredService<BackfillService>(), since, progress);
        }
        catch (BackfillException ex)
        {
            throw ex.Failure switch
            {
                BackfillFailure.Unauthorized => CliException.Usage(ex.Message),
                BackfillFailure.NotFound => CliException.NotFound(ex.Message),
                _ => new CliException(ExitCodes.Failure, ex.Message),
            };
        }

        await Console.Out.WriteLineAsync(stats.Summary(provider, repository.Trim().Trim('/')));
        return ExitCodes.Success;
    }
}
