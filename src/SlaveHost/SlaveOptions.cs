using Enslavism.Signaling;

namespace Enslavism.SlaveHost;

/// <summary>Limits and timings of a slave's connection to its master. Checked by <see cref="SlaveOptionsValidator"/>.</summary>
public sealed class SlaveOptions
{
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultKeepAliveInterval = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan DefaultKeepAliveTimeout = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan DefaultAnswerTimeout = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan DefaultCloseTimeout = TimeSpan.FromSeconds(5);
    public const int DefaultMaxOutgoingFrames = 1024;
    public const int DefaultMaxClients = 1024;
    public const int DefaultMaxKnownClients = 4096;
    public const int DefaultMaxPendingCandidatesPerClient = 64;
    public const int DefaultMaxRejectionReasonBytes = 4096;

    /// <summary>Time allowed for the WebSocket upgrade, auth included. The default is 10 seconds.</summary>
    public TimeSpan ConnectTimeout { get; set; } = DefaultConnectTimeout;

    /// <summary>Interval of WebSocket pings to the master. The default is 15 seconds.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = DefaultKeepAliveInterval;

    /// <summary>
    /// How long to wait for the pong before the connection counts as lost; <see cref="Timeout.InfiniteTimeSpan"/> sends
    /// unsolicited pongs only (no detection). The default is 15 seconds.
    /// </summary>
    public TimeSpan KeepAliveTimeout { get; set; } = DefaultKeepAliveTimeout;

    /// <summary>Time for admission plus <c>AcceptOfferAsync</c>; past it the client is rejected. The default is 15 seconds.</summary>
    public TimeSpan AnswerTimeout { get; set; } = DefaultAnswerTimeout;

    /// <summary>Time <c>DisposeAsync</c> waits for queued frames and the master's close reply before aborting. The default is 5 seconds.</summary>
    public TimeSpan CloseTimeout { get; set; } = DefaultCloseTimeout;

    /// <summary>Frames waiting to be sent to the master; a frame that does not fit is dropped and counted. The default is 1024.</summary>
    public int MaxOutgoingFrames { get; set; } = DefaultMaxOutgoingFrames;

    /// <summary>Largest frame accepted from the master; larger frames are discarded and counted. The default is 64 KiB + 16.</summary>
    public int MaxIncomingFrameBytes { get; set; } = SignalingLimits.DefaultMaxFrameBytes;

    /// <summary>Client sessions (admitting, answering or connected) at once; offers past it are rejected. The default is 1024.</summary>
    public int MaxClients { get; set; } = DefaultMaxClients;

    /// <summary>
    /// Protocol version 2: clients whose ClientInfo (auth data, address) is kept until the master says they left.
    /// Past it, new ClientInfo is dropped and those clients' offers arrive without it. The default is 4096.
    /// </summary>
    public int MaxKnownClients { get; set; } = DefaultMaxKnownClients;

    /// <summary>
    /// Candidates kept per client while its answer is not ready, in each direction; extra ones are dropped and counted.
    /// The default is 64.
    /// </summary>
    public int MaxPendingCandidatesPerClient { get; set; } = DefaultMaxPendingCandidatesPerClient;

    /// <summary>Bytes of a refused upgrade's response body kept as the rejection reason. The default is 4096.</summary>
    public int MaxRejectionReasonBytes { get; set; } = DefaultMaxRejectionReasonBytes;
}
