using System.Text.Json;
using Enslavism.Gateway;
using Enslavism.Grains.Postgres;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Enslavism.Bench.Cluster;

/// <summary>
/// A whole master node in process: real Kestrel on 127.0.0.1 port 0, wired as the Gateway's Program.cs wires it, with
/// the provider chosen by configuration (<c>Postgres</c> for cluster nodes, <c>InMemory</c> for the single-node anchor).
/// </summary>
internal sealed class BenchNode : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);
    private readonly WebApplication _app;
    private readonly HttpClient _http;
    private int _stopped;

    private BenchNode(string name, WebApplication app, Uri address)
    {
        Name = name;
        _app = app;
        HttpAddress = address;
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
    }

    public string Name { get; }

    public Uri HttpAddress { get; }

    /// <summary>The cluster node, or null for the in-memory anchor.</summary>
    public ClusterNode? ClusterNode => _app.Services.GetService<ClusterNode>();

    /// <param name="connectionString">Null for the in-memory single node.</param>
    /// <param name="leaveOnShutdown">False for a node that is meant to die without saying goodbye.</param>
    public static async Task<BenchNode> StartAsync(string name, string? connectionString, bool leaveOnShutdown = true)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var settings = new Dictionary<string, string?>();
        if (connectionString is not null)
        {
            settings[EnslavismClusterServiceCollectionExtensions.ProviderKey] = "Postgres";
            settings[$"ConnectionStrings:{EnslavismClusterServiceCollectionExtensions.ConnectionStringName}"] = connectionString;
            settings[$"{EnslavismClusterServiceCollectionExtensions.PostgresSectionKey}:NodeName"] = name;
            settings[$"{EnslavismClusterServiceCollectionExtensions.PostgresSectionKey}:LeaveOnShutdown"] =
                leaveOnShutdown ? "true" : "false";
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddEnslavismCluster(builder.Configuration);
        builder.Services.AddEnslavismMaster(options => options.CloseTimeout = TimeSpan.FromSeconds(2));
        builder.Services.AddHealthChecks();
        var app = builder.Build();
        app.MapEnslavism();
        app.MapEnslavismHealth();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new BenchNode(name, app, new Uri(address));
    }

    public Task<BenchPeer> ConnectSlaveAsync() => BenchPeer.ConnectAsync(WebSocketUri("/enslavism/slaves"));

    public Task<BenchPeer> ConnectClientAsync() => BenchPeer.ConnectAsync(WebSocketUri("/enslavism/clients"));

    /// <summary>The overall status reported by <c>GET /healthz</c>, or the failure's type name.</summary>
    public async Task<string> HealthAsync()
    {
        try
        {
            using var response = await _http.GetAsync(new Uri("/healthz", UriKind.Relative));
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return json.RootElement.GetProperty("status").GetString() ?? "?";
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException)
        {
            return exception.GetType().Name;
        }
    }

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        using var stop = new CancellationTokenSource(StopTimeout);
        try
        {
            await _app.StopAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            // A node cut off from its database may take the whole timeout to give up on its last writes; that is the
            // point of killing it, so the bench moves on.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _http.Dispose();
        await _app.DisposeAsync();
    }

    private Uri WebSocketUri(string path) => new UriBuilder(HttpAddress) { Scheme = "ws", Path = path }.Uri;
}
