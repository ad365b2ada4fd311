using Enslavism.WebRtc.Dtls;
using Enslavism.WebRtc.Ice;
using Enslavism.WebRtc.Sctp;

namespace Enslavism.WebRtc.Session;

/// <summary>Per-session limits and the options of each layer. Call <see cref="Validate"/> (the factory does).</summary>
public sealed record WebRtcSessionOptions
{
    public static WebRtcSessionOptions Default { get; } = new();

    public IceLiteAgentOptions IceLite { get; init; } = IceLiteAgentOptions.Default;

    public IceControllingAgentOptions IceControlling { get; init; } = IceControllingAgentOptions.Default;

    public DtlsOptions Dtls { get; init; } = DtlsOptions.Default;

    /// <summary>
    /// SCTP options. <see cref="SctpOptions.MaxPacketSize"/> must fit one DTLS record: 1120 leaves room for every
    /// suite BC negotiates at MTU 1200 (AES-GCM allows 1163, CBC-SHA a little less); checked at handshake completion.
    /// <see cref="SctpOptions.MaxBufferedAmount"/> is the per-session cap on queued outgoing bytes.
    /// </summary>
    public SctpOptions Sctp { get; init; } = new() { MaxPacketSize = 1120 };

    /// <summary>Channels open at once in this session (both directions); more inbound OPENs are refused with a reset.</summary>
    public int MaxChannels { get; init; } = 256;

    /// <summary>Events not yet polled before the session aborts rather than buffer without bound.</summary>
    public int MaxQueuedEvents { get; init; } = 65536;

    /// <summary>Datagrams not yet polled before new ones are dropped (counted); the protocols retransmit.</summary>
    public int MaxQueuedTransmits { get; init; } = 4096;

    /// <summary>
    /// Datagram buffers the session keeps for reuse once the host released them (<see cref="Core.Transmit.Release"/>);
    /// more can be out at once, the excess is left to the GC. 0 disables the reuse.
    /// </summary>
    public int MaxPooledTransmitBuffers { get; init; } = 64;

    /// <summary>
    /// Once connected, SCTP packets received between two drains (see the <see cref="WebRtcSession"/> run-loop contract)
    /// are processed together, and what they trigger (SACKs, bundled replies) is sent after every this many packets
    /// rather than after each one. 1 restores per-datagram processing, where SCTP acknowledges every second packet
    /// (<see cref="SctpOptions.SackEveryNPackets"/>). Larger values save datagrams and CPU when a host falls behind
    /// and has a backlog, at the cost of stretch acknowledgements, which slow the peer's congestion window growth
    /// (RFC 9260 §7.2 grows it per SACK); hence off by default until measured against browsers.
    /// </summary>
    public int ReceiveBatchPackets { get; init; } = 1;

    /// <summary>How long a graceful <see cref="WebRtcSession.Close"/> waits for SCTP SHUTDOWN before aborting.</summary>
    public TimeSpan GracefulCloseTimeout { get; init; } = TimeSpan.FromSeconds(3);

    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(IceLite);
        ArgumentNullException.ThrowIfNull(IceControlling);
        ArgumentNullException.ThrowIfNull(Dtls);
        ArgumentNullException.ThrowIfNull(Sctp);
        IceLite.Validate();
        IceControlling.Validate();
        Dtls.Validate();
        if (MaxChannels < 1 || MaxQueuedEvents < 16 || MaxQueuedTransmits < 16 || MaxPooledTransmitBuffers < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxChannels), "MaxChannels ≥ 1, queue limits ≥ 16");
        }

        if (ReceiveBatchPackets < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ReceiveBatchPackets), "must be at least 1");
        }

        if (GracefulCloseTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(GracefulCloseTimeout), "must be positive");
        }
    }
}
