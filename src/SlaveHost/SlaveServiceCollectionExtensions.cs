using System.Diagnostics.Metrics;
using Enslavism.SlaveHost.PeerConnections;
using Enslavism.SlaveHost.WebRtcHosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Enslavism.SlaveHost;

public static class SlaveServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="SlaveOptions"/> and <see cref="SlaveWebRtcOptions"/> (both validated at startup), metrics, an
    /// <see cref="EnslavismSlaveFactory"/> (slaves with their own WebRTC socket), and a <see cref="SlaveConnectionFactory"/>
    /// for the lower-level API (it uses the registered <see cref="IPeerConnectionFactory"/>; by default a
    /// <see cref="WebRtcPeerConnectionFactory"/> created on first use).
    /// </summary>
    public static IServiceCollection AddEnslavismSlave(
        this IServiceCollection services,
        Action<SlaveOptions>? configure = null,
        Action<SlaveWebRtcOptions>? configureWebRtc = null)
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
        var webRtc = services.AddOptions<SlaveWebRtcOptions>();
        if (configureWebRtc is not null)
        {
            webRtc.Configure(configureWebRtc);
        }

        webRtc.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SlaveWebRtcOptions>, SlaveWebRtcOptionsValidator>());
        services.TryAddSingleton<IPeerConnectionFactory>(provider => new WebRtcPeerConnectionFactory(provider.GetRequiredService<IOptions<SlaveWebRtcOptions>>().Value, provider.GetService<ILoggerFactory>()));
        services.TryAddSingleton<SlaveConnectionFactory>();
        services.TryAddSingleton<EnslavismSlaveFactory>();
        return services;
    }
}
