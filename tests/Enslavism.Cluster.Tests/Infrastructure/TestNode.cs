using Enslavism.Grains;
using Enslavism.Grains.Postgres;
using Enslavism.Grains.Postgres.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Enslavism.Cluster.Tests.Infrastructure;

/// <summary>
/// One master node wired exactly as a host wires it (AddEnslavismPostgresCluster, hosted services started), with its
/// own connections and a clock the test can freeze.
/// </summary>
public sealed class TestNode : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly IHostedService[] _hostedServices;
    private bool _stopped;

    private TestNode(ServiceProvider provider)
    {
        _provider = provider;
        _hostedServices = [.. provider.GetServices<IHostedService>()];
        Node = provider.GetRequiredService<ClusterNode>();
        Factory = provider.GetRequiredService<IMasterGrainFactory>();
        Metrics = provider.GetRequiredService<ClusterMetrics>();
        Clock = (PausableTimeProvider)provider.GetRequiredService<TimeProvider>();
    }

    public ClusterNode Node { get; }

    public IMasterGrainFactory Factory { get; }

    public ClusterMetrics Metrics { get; }

    public PausableTimeProvider Clock { get; }

    public IServiceProvider Services => _provider;

    public ISlaveRegistryGrain Registry => Factory.GetSlaveRegistry();

    public static async Task<TestNode> StartAsync(string connectionString, string name, Action<PostgresClusterOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new PausableTimeProvider());
        if (Environment.GetEnvironmentVariable("ENSLAVISM_TEST_LOG") == "1")
        {
            services.AddLogging(b => b.AddSimpleConsole(o => o.TimestampFormat = "HH:mm:ss.fff ").SetMinimumLevel(LogLevel.Debug));
        }

        services.AddEnslavismPostgresCluster(connectionString, options =>
        {
            options.NodeName = name;
            configure?.Invoke(options);
        });
        var node = new TestNode(services.BuildServiceProvider());
        foreach (var hosted in node._hostedServices)
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        if (!node.Node.IsConnected)
        {
            throw new InvalidOperationException($"Node {name} did not connect.");
        }

        return node;
    }

    /// <summary>Allocates a slave id, attaches the slave with an endpoint and registers it, as the gateway does.</summary>
    public async Task<(uint Id, RecordingEndpoint Endpoint)> AddSlaveAsync(string userDataJson)
    {
        var id = await Factory.GetIdAllocator(EntityKind.Slave).AllocateAsync();
        var endpoint = new RecordingEndpoint();
        var slave = Factory.GetSlave(id);
        await slave.AttachAsync(endpoint);
        await slave.RegisterAsync(Signaling.JsonUserData.Parse(userDataJson));
        return (id, endpoint);
    }

    public async Task<(uint Id, RecordingEndpoint Endpoint)> AddClientAsync()
    {
        var id = await Factory.GetIdAllocator(EntityKind.Client).AllocateAsync();
        var endpoint = new RecordingEndpoint();
        await Factory.GetClientSession(id).AttachAsync(endpoint);
        return (id, endpoint);
    }

    /// <summary>Abrupt death: freezes the node's clock (no heartbeat, no reconnect) and kills its database sessions.</summary>
    public async Task CrashAsync(string adminConnectionString)
    {
        Clock.Pause();
        await KillConnectionsAsync(adminConnectionString);
    }

    public async Task KillConnectionsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = $"enslavism-node-{Node.NodeId:x}" });
        await command.ExecuteScalarAsync();
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        foreach (var hosted in _hostedServices.Reverse())
        {
            await hosted.StopAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _provider.DisposeAsync();
    }
}
