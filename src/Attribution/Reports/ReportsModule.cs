using Attribution.Common;
using Attribution.Linking.Outcomes;
using Attribution.Store;

namespace Attribution.Reports;

/// <summary>Wiring of the read models every surface (API, CLI, MCP, pages) shows: one read path per document and figure.</summary>
public static class ReportsModule
{
    public static IServiceCollection AddReports(this IServiceCollection services, HostMode mode)
    {
        services.AddSingleton<AttributionQueryStore>();
        services.AddSingleton<ExploreStore>();
        services.AddSingleton<PullRequestOutcomes>();
        services.AddSingleton<CommitAttributionService>();
        services.AddSingleton<SessionAttributionService>();
        services.AddSingleton<DetailReads>();
        services.AddSingleton<ListReads>();
        services.AddSingleton<OutcomeListService>();
        services.AddSingleton<RecentService>();
        services.AddSingleton<ProductGauges>();
        if (mode == HostMode.Serve)
        {
            services.AddHostedService(sp => sp.GetRequiredService<ProductGauges>());
        }

        return services;
    }
}
