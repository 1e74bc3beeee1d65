using System.Globalization;
using Attribution.Hosting;
using Attribution.Store;
using Attribution.Common;

namespace Attribution.Yield;

/// <summary>The yield report: its store and service, and <c>GET /api/yield</c>. The pages live under Pages/.</summary>
public static class YieldModule
{
    public static IServiceCollection AddYield(this IServiceCollection services, IConfiguration configuration, HostMode mode)
    {
        services.AddSettings<YieldOptions>(configuration, YieldOptions.Section)
            .Validate(o => o.CacheSeconds >= 0, "Attribution:Yield:CacheSeconds must not be negative.");
        services.AddSingleton<YieldStore>();
        services.AddSingleton<BrowseStore>();
        services.AddSingleton<YieldService>();
        services.AddSingleton<TeamService>();
        return services;
    }

    public static IEndpointRouteBuilder MapYieldEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/yield", GetYieldAsync)
            .WithName("GetYield")
            .WithTags("Yield")
            .WithSummary("Per-session outcomes and per agent/model totals (sessions, cost, commits linked, PRs merged, CI pass rate, revert rate, still-good rate, cost per merged PR).");
        endpoints.MapGet("/api/team", GetTeamAsync)
            .WithName("GetTeam")
            .WithTags("Yield")
            .WithSummary("Figures per agent/model setup, repository and developer, and their trends per week or month (still-good, revert, fix and CI first-pass rates, line survival, cost per merged PR, held-up PRs per 100 USD).");
        return endpoints;
    }

    private static async Task<IResult> GetYieldAsync(
        YieldService service,
        string? since,
        string? repo,
        string? agent,
        string? model,
        string? sort,
        string? outcome,
        string? page,
        string? pageSize,
        string? stillGoodDays,
        string? minConfidence,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var query = new YieldQuery
        {
            Since = since ?? "30d",
            Repo = repo,
            Agent = agent,
            Model = model,
            Sort = sort,
            Outcome = outcome,
            Page = ParseInt(page, 1, "page", errors),
            PageSize = ParseInt(pageSize, YieldQuery.ApiPageSize, "pageSize", errors),
            StillGoodAfterDays = ParseInt(stillGoodDays, Linking.Outcomes.Verdicts.StillGoodDays, "stillGoodDays", errors),
            MinConfidence = ParseDouble(minConfidence, Linking.Outcomes.Verdicts.DefaultMinConfidence, "minConfidence", errors),
        };
        foreach (var (key, value) in service.Validate(query))
        {
            errors.TryAdd(key, value);
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors);
        }

        return Results.Ok(await service.GetAsync(query, ct));
    }

    private static async Task<IResult> GetTeamAsync(
        TeamService service,
        string? since,
        string? repo,
        string? developer,
        string? agent,
        string? model,
        string? bucket,
        string? stillGoodDays,
        string? minConfidence,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var query = new TeamQuery
        {
            Since = since ?? TeamService.DefaultPeriod,
            Repo = repo,
            Developer = developer,
            Agent = agent,
            Model = model,
            Bucket = bucket,
            StillGoodAfterDays = ParseInt(stillGoodDays, Linking.Outcomes.Verdicts.StillGoodDays, "stillGoodDays", errors),
            MinConfidence = ParseDouble(minConfidence, Linking.Outcomes.Verdicts.DefaultMinConfidence, "minConfidence", errors),
        };
        foreach (var (key, value) in service.Validate(query, "since"))
        {
            errors.TryAdd(key, value);
        }

        return errors.Count > 0 ? Results.ValidationProblem(errors) : Results.Ok(await service.GetAsync(query, ct));
    }

    private static int ParseInt(string? text, int fallback, string name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors[name] = ["Must be a whole number."];
        return fallback;
    }

    private static double ParseDouble(string? text, double fallback, string name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }

        errors[name] = ["Must be a number."];
        return fallback;
    }
}
