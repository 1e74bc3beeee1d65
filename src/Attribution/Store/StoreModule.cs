using Microsoft.Extensions.Options;

namespace Attribution.Store;

/// <summary><c>AddStore()</c>: the database settings, the connection factory, the migration runner and the stores every feature shares.</summary>
public static class StoreModule
{
    public static IServiceCollection AddStore(this IServiceCollection services, IConfiguration configuration)
    {
        DapperSetup.Configure();
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        services.AddSingleton<DbConnectionFactory>();
        services.AddSingleton<IDbConnectionFactory>(sp => sp.GetRequiredService<DbConnectionFactory>());
        services.AddSingleton<MigrationRunner>();
        services.AddSingleton(sp => new ReadCache(sp.GetRequiredService<IDbConnectionFactory>(), sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ReadCache));
        services.AddSingleton<RepositoryStore>();
        services.AddSingleton<CursorStore>();
        services.AddSingleton<RecordedStore>();
        services.AddSingleton<HealthStore>();
        services.AddSingleton<CommitStore>();

        // The one writer of PRs and CI runs, for webhooks and REST backfill alike.
        services.AddSingleton<PrStore>();
        services.AddSingleton<CiRunStore>();
        return services;
    }
}
