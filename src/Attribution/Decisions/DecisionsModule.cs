using System.CommandLine;
using Attribution.Decisions.Bugs;
using Attribution.Decisions.Calibration;
using Attribution.Decisions.Methods;
using Attribution.Decisions.Outcomes;
using Attribution.Decisions.Rpc;
using Attribution.Git;
using Attribution.Hosting;
using Attribution.Store;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Attribution.Common;

namespace Attribution.Decisions;

/// <summary>Wiring of the Decisions feature: services, endpoints and CLI commands.</summary>
public static class DecisionsModule
{
    public static IServiceCollection AddDecisions(this IServiceCollection services, IConfiguration configuration, HostMode mode)
    {
        services.TryAddSingleton<DecisionStore>();
        services.TryAddSingleton<OutcomeEvidenceStore>();
        services.TryAddSingleton<BlameReader>();
        services.TryAddSingleton<CalibrationService>();
        services.TryAddSingleton<BugReportService>();
        services.TryAddSingleton<OutcomeAttributor>();
        services.AddSingleton<IJsonRpcMethod, RecordDecisionMethod>();
        services.AddSingleton<IJsonRpcMethod, ReviewDecisionMethod>();
        services.AddSingleton<IJsonRpcMethod, QueryDecisionsMethod>();
        services.AddSingleton<IJsonRpcMethod, GetCalibrationMethod>();
        services.AddSingleton<IJsonRpcMethod, ReportBugMethod>();
        services.AddSingleton<IJsonRpcMethod, AttributeOutcomesMethod>();
        services.AddSingleton<IJsonRpcMethod, GetDecisionMethod>();
        services.AddSingleton<IJsonRpcMethod, ListDecisionsMethod>();
        services.AddSingleton<IJsonRpcMethod, GetStatsMethod>();
        services.TryAddSingleton<JsonRpcDispatcher>();
        return services;
    }

    public static IEndpointRouteBuilder MapDecisionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapCstp();
        return endpoints;
    }

    public static void AddDecisionCommands(RootCommand root, CliContext cli) => DecisionCommands.Add(root, cli);
}
