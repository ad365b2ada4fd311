using System.Data.Common;
using System.Net.Sockets;
using Enslavism.Grains.Postgres.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Enslavism.Grains.Postgres;

/// <summary>What every part of one cluster node shares: its identity, options, data source, clock and metrics.</summary>
internal sealed class ClusterNodeContext : IAsyncDisposable
{
    public ClusterNodeContext(PostgresClusterOptions options, TimeProvider timeProvider, ClusterMetrics metrics, ILogger logger)
    {
        Options = options;
        TimeProvider = timeProvider;
        Metrics = metrics;
        Logger = logger;

        // Random rather than from a sequence: it survives a database that was recreated, and it names the node's channel.
        NodeId = Random.Shared.NextInt64(1, long.MaxValue);
        var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        builder.ConnectionStringBuilder.ApplicationName = $"enslavism-node-{NodeId:x}";
        builder.ConnectionStringBuilder.CommandTimeout = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds);
        builder.ConnectionStringBuilder.Timeout = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds);
        builder.ConnectionStringBuilder.TcpKeepAlive = true;
        DataSource = builder.Build();
    }

    public long NodeId { get; }

    public PostgresClusterOptions Options { get; }

    public NpgsqlDataSource DataSource { get; }

    public TimeProvider TimeProvider { get; }

    public ClusterMetrics Metrics { get; }

    public ILogger Logger { get; }

    private volatile bool _isConnected;

    /// <summary>True while the node holds a live backplane session (joined, listening, caught up once).</summary>
    public bool IsConnected
    {
        get => _isConnected;
        set => _isConnected = value;
    }

    private int _sessionGeneration;

    /// <summary>Bumped each time the node starts a backplane session: connections opened before it may be dead.</summary>
    public int SessionGeneration => Volatile.Read(ref _sessionGeneration);

    public void NewSession() => Interlocked.Increment(ref _sessionGeneration);

    /// <summary>The last backplane error, for health reporting.</summary>
    public string? LastError { get; set; }

    /// <summary>Failures that mean "the database is unreachable or the session broke", not a bug.</summary>
    public static bool IsTransient(Exception exception) =>
        exception is DbException or SocketException or IOException or TimeoutException
        || (exception is InvalidOperationException && exception.Source == "Npgsql");

    /// <summary>This node was evicted by a janitor (its lease expired or its backend vanished).</summary>
    public static bool IsEvicted(Exception exception) => exception is PostgresException { SqlState: "EN001" };

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
