using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Enslavism.Gateway;

public static class EnslavismClusterServiceCollectionExtensions
{
    /// <summary>Configuration key choosing the master tier's grain provider: <c>InMemory</c> (default) or <c>Postgres</c>.</summary>
    public const string ProviderKey = "Enslavism:Cluster:Provider";

    /// <summary>Configuration section bound to the PostgreSQL provider's options.</summary>
    public const string PostgresSectionKey = "Enslavism:Cluster:Postgres";

    /// <summary>Connection string name used by the PostgreSQL provider (<c>ConnectionStrings:Enslavism</c>).</summary>
    public const string ConnectionStringName = "Enslavism";

    /// <summary>
    /// Picks the cluster provider from configuration. <c>InMemory</c> registers nothing here (the master's own in-memory
    /// runtime is used); <c>Postgres</c> runs this process as one node of a PostgreSQL-backed cluster. Call before
    /// <c>AddEnslavismMaster</c> or after it: the cluster factory replaces the in-memory one either way.
    /// </summary>
    public static IServiceCollection AddEnslavismCluster(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var provider = configuration[ProviderKey];
        if (string.IsNullOrWhiteSpace(provider) || provider.Equals("InMemory", StringComparison.OrdinalIgnoreCase))
        {
            return services;
        }

        if (!provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{ProviderKey} is '{provider}'; expected 'InMemory' or 'Postgres'.");
        }

        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"{ProviderKey} is 'Postgres' but ConnectionStrings:{ConnectionStringName} is not set.");
        }

        return services.AddEnslavismPostgresCluster(connectionString, options => configuration.GetSection(PostgresSectionKey).Bind(options));
    }
}
