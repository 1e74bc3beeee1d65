using System.CommandLine;
using Attribution.Hosting;
using Attribution.Store;
using Attribution.Common;

namespace Attribution.Stages;

/// <summary>Wiring of PR stage attribution: services, <c>GET /api/pr-attribution</c> and <c>attribution pr-attribution</c>.</summary>
public static class StagesModule
{
    public static IServiceCollection AddStages(this IServiceCollection services, IConfiguration configuration, HostMode mode)
    {
        services.AddSettings<StageOptions>(configuration, StageOptions.Section)
            .Validate(o => o.StillGoodAfterDays is > 0 and <= 3650, "Attribution:Providers:StillGoodAfterDays must be between 1 and 3650.");
        services.AddSingleton<StageStore>();
        services.AddSingleton<PrStageService>();
        services.AddSingleton<IStagePricer, PriceTableStagePricer>();
        return services;
    }

    public static IEndpointRouteBuilder MapStageEndpoints(this IEndpointRouteBuilder endpoints)
    {
        PrStageEndpoints.Map(endpoints);
        return endpoints;
    }

    public static void AddStageCommands(RootCommand root, CliContext cli) => root.Subcommands.Add(PrStageCommand.Create(cli));
}
