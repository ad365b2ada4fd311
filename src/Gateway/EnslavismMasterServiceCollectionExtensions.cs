using Enslavism.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Enslavism.Gateway;

public static class EnslavismMasterServiceCollectionExtensions
{
    /// <summary>
    /// Adds the master: options (validated at startup), metrics and, unless a cluster provider registered another
    /// <see cref="IMasterGrainFactory"/> first, the in-memory grain runtime. Then call <c>app.MapEnslavism()</c>.
    /// </summary>
    public static IServiceCollection AddEnslavismMaster(this IServiceCollection services, Action<EnslavismMasterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<EnslavismMasterOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EnslavismMasterOptions>, EnslavismMasterOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton<EnslavismMasterMetrics>();
        services.TryAddSingleton<EnslavismEndpointHandler>();
        services.TryAddSingleton<ClientScriptEndpoint>();
        services.AddEnslavismInMemoryGrains();
        return services;
    }
}
