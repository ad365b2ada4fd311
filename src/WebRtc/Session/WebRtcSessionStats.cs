using Enslavism.WebRtc.Sctp;

namespace Enslavism.WebRtc.Session;

/// <summary>Counters of one <see cref="WebRtcSession"/> (drops are normal under attack or loss; for logs and tests).</summary>
public sealed class WebRtcSessionStats
{
    public long DatagramsReceived { get; internal set; }

    /// <summary>Neither STUN nor DTLS by RFC 7983 (RTP, ZRTP, TURN channel, garbage).</summary>
    public long DroppedUnknownKind { get; internal set; }

    /// <summary>DTLS from an address without a valid ICE check (RFC 8842 §6).</summary>
    public long DroppedUncheckedDtls { get; internal set; }

    public long DroppedAfterClose { get; internal set; }

    /// <summary>Outgoing datagrams dropped: no ICE remote yet, or the transmit queue was full.</summary>
    public long DroppedTransmits { get; internal set; }

    /// <summary>SCTP packets DTLS refused (not connected / too large).</summary>
    public long DroppedSctpPackets { get; internal set; }

    /// <summary>When each setup step happened (session time).</summary>
    public WebRtcSessionPhases Phases { get; } = new();

    /// <summary>
    /// The SCTP association's live counters: retransmissions (chunks, bytes, fast, T3), abandoned messages, FORWARD-TSNs,
    /// duplicate and out-of-order TSNs, SACKs, heartbeats, burst and delay limiting.
    /// </summary>
    public SctpStats Sctp { get; internal set; } = new();
}
