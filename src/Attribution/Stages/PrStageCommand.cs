using System.CommandLine;
using System.Text.Json;
using Attribution.Hosting;
using Attribution.Store;
using Attribution.Common;

namespace Attribution.Stages;

/// <summary>
/// <c>attribution pr-attribution</c>: records who reviewed, implemented and integrated a PR (incrementally, as
/// each stage completes) and shows the report with costs (<c>--view</c>, <c>--view-all</c>).
/// </summary>
public static class PrStageCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(CliContext cli)
    {
        var repo = new Option<string?>("--repo") { Description = "Repository owner/name (optional when the PR number is unique)." };
        var pr = new Option<int?>("--pr") { Description = "PR (merge request) number." };
        var title = new Option<string?>("--title") { Description = "PR title." };
        var branch = new Option<string?>("--branch") { Description = "PR branch." };
        var createdBy = new Option<string?>("--created-by") { Description = "Who created the PR." };
        var reviewProvider = new Option<string?>("--review-provider") { Description = "Provider of the review stage (claude, codex, ollama, ...)." };
        var reviewSession = new Option<string?>("--review-session") { Description = "Session that did the review." };
        var implProvider = new Option<string?>("--impl-provider") { Description = "Provider of the implementation stage." };
        var implSession = new Option<string?>("--impl-session") { Description = "Session that implemented." };
        var integProvider = new Option<string?>("--integ-provider") { Description = "Provider of the integration stage." };
        var integSession = new Option<string?>("--integ-session") { Description = "Session that integrated (tests, merge, rebase)." };
        var status = new Option<string?>("--status") { Description = "pending, in_progress or completed." };
        var view = new Option<bool>("--view") { Description = "Show the PR's attribution (after recording, if anything was given)." };
        var viewAll = new Option<bool>("--view-all") { Description = "Show every PR with stage attribution and the per-provider totals." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON (the API document)." };

        var command = new Command("pr-attribution", "Record and report which provider and session reviewed, implemented and integrated each PR, and what it cost.");
        foreach (var option in new Option[] { repo, pr, title, branch, createdBy, reviewProvider, reviewSession, implProvider, implSession, integProvider, integSession, status, view, viewAll, json })
        {
            command.Options.Add(option);
        }

        command.SetAction((parseResult, ct) => cli.RunAsync(parseResult, async (services, token) =>
        {
            var service = services.GetRequiredService<PrStageService>();
            var request = new Request(
                parseResult.GetValue(repo), parseResult.GetValue(pr), parseResult.GetValue(title), parseResult.GetValue(branch),
                parseResult.GetValue(createdBy), parseResult.GetValue(status),
                [
                    (PrStage.Review, parseResult.GetValue(reviewProvider), parseResult.GetValue(reviewSession)),
                    (PrStage.Implementation, parseResult.GetValue(implProvider), parseResult.GetValue(implSession)),
                    (PrStage.Integration, parseResult.GetValue(integProvider), parseResult.GetValue(integSession)),
                ],
                parseResult.GetValue(view), parseResult.GetValue(viewAll), parseResult.GetValue(json));
            return await RunAsync(service, services.GetRequiredService<RepositoryStore>(), request, Console.Out, token);
        }, ct));
        return command;
    }

    /// <summary>What the command line asked for.</summary>
    public sealed record Request(
        string? Repo, int? Pr, string? Title, string? Branch, string? CreatedBy, string? Status,
        IReadOnlyList<(PrStage Stage, string? Provider, string? Session)> Stages,
        bool View, bool ViewAll, bool Json);

    public static async Task<int> RunAsync(PrStageService service, RepositoryStore repositories, Request request, TextWriter output, CancellationToken cancellationToken)
    {
        if (request.Repo is not null && !RepoSlug.IsValid(request.Repo))
        {
            throw CliException.Usage($"--repo '{request.Repo}' is not owner/name.");
        }

        var repo = request.Repo is null ? null : RepoSlug.Normalize(request.Repo);
        if (request.ViewAll)
        {
            var overview = await service.ListAsync(repo, 200, cancellationToken);
            await output.WriteAsync(request.Json ? JsonSerializer.Serialize(overview, Json) + "\n" : PrStageText.Render(overview));
            return ExitCodes.Success;
        }

        if (request.Pr is not { } number)
        {
            throw CliException.Usage("give --pr N (with what to record, or --view), or --view-all.");
        }

        if (number <= 0)
        {
            throw CliException.Usage($"--pr must be a positive number, not {number}.");
        }

        var entries = await ValidateEntriesAsync(service, request, cancellationToken);
        var facts = new RecordedPrFacts(Clean(request.Title), Clean(request.Branch), Clean(request.CreatedBy), ValidateStatus(request.Status));
        var recording = entries.Count > 0 || facts != new RecordedPrFacts(null, null, null, null);
        if (!recording && !request.View)
        {
            throw CliException.Usage("nothing to record: give --title, --branch, --created-by, --status or a stage's --*-provider/--*-session, or --view.");
        }

        var target = repo ?? await ResolveRepoAsync(service, repositories, number, recording, cancellationToken);
        if (recording)
        {
            await service.RecordAsync(target, number, facts, entries, cancellationToken);
            if (!request.View)
            {
                var what = entries.Select(e => $"{PrStageNames.Name(e.Stage)} {e.Provider}{(e.SessionId is null ? "" : $" ({e.SessionId})")}");
                await output.WriteLineAsync($"recorded PR #{number}{(target.Length == 0 ? "" : $" in {target}")}{(entries.Count == 0 ? "" : ": " + string.Join("; ", what))}");
                return ExitCodes.Success;
            }
        }

        var report = await service.GetAsync(target, number, cancellationToken)
            ?? throw CliException.NotFound($"no stage attribution is known for PR #{number}{(target.Length == 0 ? "" : " in " + target)}.");
        await output.WriteAsync(request.Json ? JsonSerializer.Serialize(report, Json) + "\n" : PrStageText.Render(report));
        return ExitCodes.Success;
    }

    private static async Task<List<RecordedStageEntry>> ValidateEntriesAsync(PrStageService service, Request request, CancellationToken cancellationToken)
    {
        var entries = new List<RecordedStageEntry>();
        foreach (var (stage, rawProvider, rawSession) in request.Stages)
        {
            var flag = stage switch { PrStage.Review => "review", PrStage.Implementation => "impl", _ => "integ" };
            var provider = Clean(rawProvider)?.ToLowerInvariant();
            var session = Clean(rawSession);
            if (provider is null && session is null)
            {
                continue;
            }

            if (provider is not null && !PrStageNames.IsValidProvider(provider))
            {
                throw CliException.Usage($"--{flag}-provider '{rawProvider}' is not a provider name (letters, digits, '.', '_', '-'; e.g. claude, codex, ollama).");
            }

            if (session is not null && !PrStageNames.IsValidSession(session))
            {
                throw CliException.Usage($"--{flag}-session '{rawSession}' is not a session id (letters, digits, '.', '_', '-', ':').");
            }

            provider ??= await service.ProviderOfSessionAsync(session!, cancellationToken)
                ?? throw CliException.Usage($"session '{session}' is not in the store, so its provider is unknown: give --{flag}-provider too.");
            entries.Add(new RecordedStageEntry(stage, provider, session));
        }

        return entries;
    }

    private static async Task<string> ResolveRepoAsync(PrStageService service, RepositoryStore repositories, int number, bool recording, CancellationToken cancellationToken)
    {
        var withPr = await service.ReposWithPrAsync(number, cancellationToken);
        if (withPr.Count == 1)
        {
            return withPr[0];
        }

        if (withPr.Count > 1)
        {
            throw CliException.Usage($"PR #{number} exists in {withPr.Count} repositories ({string.Join(", ", withPr.Select(r => r.Length == 0 ? "(unscoped)" : r))}): give --repo.");
        }

        if (!recording)
        {
            throw CliException.NotFound($"no stage attribution is known for PR #{number}.");
        }

        var registered = await repositories.ListAsync(cancellationToken);
        return registered.Count == 1 ? registered[0].Slug : "";
    }

    private static string? ValidateStatus(string? status)
    {
        var value = Clean(status)?.ToLowerInvariant().Replace('-', '_');
        if (value is not null && !PrStageNames.Statuses.Contains(value))
        {
            throw CliException.Usage($"--status must be pending, in_progress or completed, not '{status}'.");
        }

        return value;
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
