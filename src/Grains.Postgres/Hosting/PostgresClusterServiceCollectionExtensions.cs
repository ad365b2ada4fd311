using Enslavism.Grains;
using Enslavism.Grains.Postgres;
using Enslavism.Grains.Postgres.Diagnostics;
using Enslavism.Grains.Postgres.Relay;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class PostgresClusterServiceCollectionExtensions
{
    /// <summary>The health check name under which the backplane reports.</summary>
    public const string HealthCheckName = "enslavism-backplane";

    /// <summary>
    /// Runs this process as a node of a PostgreSQL-backed master cluster: replaces any registered
    /// <see cref="IMasterGrainFactory"/> (the in-memory one is added with TryAdd), registers the node as a hosted
    /// service, its metrics and the <c>enslavism-backplane</c> health check.
    /// </summary>
    public static IServiceCollection AddEnslavismPostgresCluster(
        this IServiceCollection services, string connectionString, Action<PostgresClusterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<PostgresClusterOptions>()
            .Configure(options =>
            {
                options.ConnectionString = connectionString;
                configure?.Invoke(options);
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgresClusterOptions>, PostgresClusterOptionsValidator>());
        services.AddMetrics();
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ClusterMetrics>();
        services.TryAddSingleton(provider => new ClusterNode(new ClusterNodeContext(
            provider.GetRequiredService<IOptions<PostgresClusterOptions>>().Value,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ClusterMetrics>(),
            provider.GetRequiredService<ILoggerFactory>().CreateLogger("Enslavism.Cluster"))));
        services.RemoveAll<IMasterGrainFactory>();
        services.AddSingleton(provider => provider.GetRequiredService<ClusterNode>().GrainFactory);
        services.TryAddSingleton<ISignalingTransport>(provider => provider.GetRequiredService<ClusterNode>().Transport);
        services.AddHostedService<ClusterNodeHostedService>();
        services.AddHealthChecks().AddCheck<BackplaneHealthCheck>(HealthCheckName, HealthStatus.Degraded, ["backplane"]);
        return services;
    }
}
