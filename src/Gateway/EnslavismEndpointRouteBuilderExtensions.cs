using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Enslavism.Gateway;

public static class EnslavismEndpointRouteBuilderExtensions
{
    /// <summary>The path prefix Enslavism 0.9 peers use.</summary>
    public const string DefaultPrefix = "/enslavism";

    /// <summary>
    /// Maps <c>{prefix}/slaves</c> and <c>{prefix}/clients</c> (WebSockets) and <c>GET {prefix}/client.js</c>. Only these
    /// paths are touched: the host's other routes and WebSocket endpoints keep working. When given the application
    /// itself, this also adds the WebSocket middleware (harmless if the host already did).
    /// </summary>
    public static IEndpointConventionBuilder MapEnslavism(this IEndpointRouteBuilder endpoints, string prefix = DefaultPrefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        if (endpoints is IApplicationBuilder app)
        {
            app.UseWebSockets();
        }

        var handler = endpoints.ServiceProvider.GetRequiredService<EnslavismEndpointHandler>();
        var script = endpoints.ServiceProvider.GetRequiredService<ClientScriptEndpoint>();
        var group = endpoints.MapGroup(prefix.TrimEnd('/'));
        group.Map("/slaves", handler.HandleSlaveAsync);
        group.Map("/clients", handler.HandleClientAsync);
        group.MapMethods("/client.js", [HttpMethods.Get, HttpMethods.Head], script.HandleAsync);
        return group;
    }
}
