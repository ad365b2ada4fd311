using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Enslavism.Gateway.Demo;

public static class DemoExtensions
{
    /// <summary>
    /// Binds <see cref="DemoOptions"/> from <c>Enslavism:Demo</c> (validated at start) and, when enabled, hosts the demo
    /// echo slave. Call <see cref="MapEnslavismDemo"/> to serve the page.
    /// </summary>
    public static IServiceCollection AddEnslavismDemo(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(DemoOptions.SectionName);
        services.AddOptions<DemoOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DemoOptions>, DemoOptionsValidator>());
        if (section.GetValue<bool>(nameof(DemoOptions.Enabled)))
        {
            services.TryAddSingleton<DemoSlaveService>();
            services.AddHostedService(provider => provider.GetRequiredService<DemoSlaveService>());
            services.TryAddSingleton<DemoPageEndpoint>();
        }

        return services;
    }

    /// <summary>Serves the demo page at <c>/</c> when the demo is enabled; does nothing otherwise.</summary>
    public static IEndpointRouteBuilder MapEnslavismDemo(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.ServiceProvider.GetService<DemoPageEndpoint>() is { } page)
        {
            endpoints.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], page.HandleAsync);
        }

        return endpoints;
    }
}
