using Enslavism.Signaling;

namespace Enslavism.Gateway;

/// <summary>Options of the Enslavism master endpoints. Validated at startup by <see cref="EnslavismMasterOptionsValidator"/>.</summary>
public sealed class EnslavismMasterOptions
{
    /// <summary>The value of <see cref="AllowedOrigins"/> that admits every browser origin.</summary>
    public const string AnyOrigin = "*";

    /// <summary>
    /// Browser origins (e.g. <c>https://game.example</c>) allowed to open the WebSocket endpoints. Empty (the default)
    /// admits only pages served by the master's own host and port. <see cref="AnyOrigin"/> admits all origins and must be
    /// chosen explicitly. Requests without an Origin header (slaves, native clients) are not browsers and are admitted.
    /// </summary>
    public IList<string> AllowedOrigins { get; } = [];

    /// <summary>Largest frame accepted from a peer; larger ones close the peer with 1009. Default 65552 bytes.</summary>
    public int MaxFrameBytes { get; set; } = SignalingLimits.DefaultMaxFrameBytes;

    /// <summary>Largest user data a slave may register (at most 65535, the u16 wire limit). Default 65535.</summary>
    public int MaxUserDataBytes { get; set; } = SlaveEntry.MaxUserDataBytes;

    /// <summary>
    /// Largest AddSlaves frame sent to a client; the snapshot sent on connect is split into frames of at most this size.
    /// Must hold one slave with the largest user data (7 + <see cref="MaxUserDataBytes"/>). Default 65552 bytes.
    /// </summary>
    public int MaxSnapshotFrameBytes { get; set; } = SignalingLimits.DefaultMaxFrameBytes;

    /// <summary>Frames a connection may have waiting to be sent before it counts as a slow consumer. Default 1024.</summary>
    public int SendQueueFrames { get; set; } = 1024;

    /// <summary>Bytes a connection may have waiting to be sent before it counts as a slow consumer. Default 8 MiB.</summary>
    public long SendQueueBytes { get; set; } = 8L * 1024 * 1024;

    /// <summary>WebSocket ping interval; <see cref="TimeSpan.Zero"/> disables pings. Default 20 s.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long to wait for a pong before dropping the peer; <see cref="TimeSpan.Zero"/> never drops. Default 20 s.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long the close handshake may take before the socket is aborted. Default 5 s.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Maximum concurrent slave connections of this node; more are answered 503. Default 10000.</summary>
    public int MaxSlaveConnections { get; set; } = 10_000;

    /// <summary>Maximum concurrent client connections of this node; more are answered 503. Default 100000.</summary>
    public int MaxClientConnections { get; set; } = 100_000;

    /// <summary>How long an auth hook may run; the upgrade is answered 401 when it takes longer. Default 10 s.</summary>
    public TimeSpan AuthTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Hooks equivalent to the events of Enslavism 0.9's Master, all asynchronous.</summary>
    public EnslavismMasterEvents Events { get; set; } = new();
}
