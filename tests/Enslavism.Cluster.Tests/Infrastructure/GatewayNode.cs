using Enslavism.Gateway;
using Enslavism.Grains.Postgres;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Enslavism.Cluster.Tests.Infrastructure;

/// <summary>
/// A whole master node in process: real Kestrel on 127.0.0.1 port 0, wired as Program.cs wires it, with the cluster
/// provider chosen by configuration (<c>Enslavism:Cluster:Provider = Postgres</c>).
/// </summary>
public sealed class GatewayNode : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayNode(WebApplication app, Uri address)
    {
        _app = app;
        HttpAddress = address;
    }

    public Uri HttpAddress { get; }

    public ClusterNode ClusterNode => _app.Services.GetRequiredService<ClusterNode>();

    public static async Task<GatewayNode> StartAsync(string connectionString, string name)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [EnslavismClusterServiceCollectionExtensions.ProviderKey] = "Postgres",
            [$"ConnectionStrings:{EnslavismClusterServiceCollectionExtensions.ConnectionStringName}"] = connectionString,
            [$"{EnslavismClusterServiceCollectionExtensions.PostgresSectionKey}:NodeName"] = name,
        });
        builder.Services.AddEnslavismCluster(builder.Configuration);
        builder.Services.AddEnslavismMaster(options => options.CloseTimeout = TimeSpan.FromSeconds(5));
        builder.Services.AddHealthChecks();
        var app = builder.Build();
        app.MapEnslavism();
        app.MapEnslavismHealth();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new GatewayNode(app, new Uri(address));
    }

    public Task<WsPeer> ConnectSlaveAsync(string? subProtocol = null) => WsPeer.ConnectAsync(WebSocketUri("/enslavism/slaves"), subProtocol);

    public Task<WsPeer> ConnectClientAsync(string? cookieHeader = null) => WsPeer.ConnectAsync(WebSocketUri("/enslavism/clients"), cookieHeader: cookieHeader);

    public async ValueTask DisposeAsync()
    {
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
        {
            await _app.StopAsync(stop.Token);
        }

        await _app.DisposeAsync();
    }

    private Uri WebSocketUri(string path) => new UriBuilder(HttpAddress) { Scheme = "ws", Path = path }.Uri;
}
