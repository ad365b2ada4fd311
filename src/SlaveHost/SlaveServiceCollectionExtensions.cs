using System.Diagnostics.Metrics;
using Enslavism.SlaveHost.PeerConnections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Enslavism.SlaveHost;

public static class SlaveServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="SlaveOptions"/> (validated at startup), metrics and a <see cref="SlaveConnectionFactory"/>. An
    /// <see cref="IPeerConnectionFactory"/> must be registered too (the WebRTC stack provides one).
    /// </summary>
    public static IServiceCollection AddEnslavismSlave(this IServiceCollection services, Action<SlaveOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<SlaveOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SlaveOptions>, SlaveOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SlaveConnectionFactory>();
        return services;
    }
}
