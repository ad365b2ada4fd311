using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Enslavism.Grains;

public static class InMemoryGrainServiceCollectionExtensions
{
    /// <summary>
    /// Registers the in-memory <see cref="IMasterGrainFactory"/> unless another one (a cluster provider) is registered.
    /// </summary>
    public static IServiceCollection AddEnslavismInMemoryGrains(
        this IServiceCollection services,
        Action<InMemoryGrainOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<InMemoryGrainOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InMemoryGrainOptions>, InMemoryGrainOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IMasterGrainFactory>(sp => new InMemoryGrainRuntime(
            sp.GetRequiredService<IOptions<InMemoryGrainOptions>>(),
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
