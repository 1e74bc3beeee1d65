using Attribution.Store;

namespace Attribution.Reports;

/// <summary>Wiring of the read models every surface shows (one read path per figure).</summary>
public static class ReportsModule
{
    public static IServiceCollection AddReports(this IServiceCollection services)
    {
        services.AddSingleton<AttributionQueryStore>();
        services.AddSingleton<PullRequestOutcomes>();
        return services;
    }
}
