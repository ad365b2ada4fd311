namespace Enslavism.Grains.Postgres;

/// <summary>Options of the PostgreSQL cluster provider. Defaults follow the measured design (heartbeat 1 s, lease 3 s).</summary>
public sealed class PostgresClusterOptions
{
    /// <summary>Npgsql connection string of the shared database.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>A readable name for this node in <c>ens_nodes</c> and logs (the node id itself is random).</summary>
    public string NodeName { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>How often the node renews its lease and runs the janitor.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a lease lasts without renewal before other nodes evict the node.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a released id rests before it can be handed out again.</summary>
    public TimeSpan IdQuarantine { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Change-log rows kept behind the head; a node further behind than this resyncs from a snapshot.</summary>
    public long ChangeLogRetention { get; set; } = 100_000;

    /// <summary>Changes read per catch-up query.</summary>
    public int CatchUpBatchSize { get; set; } = 1_000;

    /// <summary>First delay before reconnecting to the database; doubled up to <see cref="ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectInitialDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Largest delay between reconnect attempts. Keep it below <see cref="LeaseDuration"/> so a node that
    /// survives a database restart rejoins before its lease runs out.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the host start waits for the first connection before continuing degraded.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a registry write waits for its change to reach this node's replica (read your writes).</summary>
    public TimeSpan WriteVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Signaling messages waiting to be sent to other nodes; beyond it messages are dropped and counted.</summary>
    public int RelayOutgoingQueueCapacity { get; set; } = 4_096;

    /// <summary>Signaling messages received from other nodes waiting for local delivery.</summary>
    public int RelayIncomingQueueCapacity { get; set; } = 4_096;

    /// <summary>Largest relayed signaling frame. Frames that do not fit a NOTIFY payload travel through a table row.</summary>
    public int MaxRelayFrameBytes { get; set; } = 80 * 1024;

    /// <summary>How long an undelivered relay row is kept before the janitor deletes it.</summary>
    public TimeSpan RelayRowTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>On graceful stop, remove this node's slaves at once instead of leaving it to the janitor.</summary>
    public bool LeaveOnShutdown { get; set; } = true;

    /// <summary>Command timeout of every backplane query.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
