namespace Enslavism.WebRtc.Sctp;

/// <summary>Tunables and limits of one association. Defaults suit WebRTC data channels over DTLS (RFC 8261).</summary>
public sealed record SctpOptions
{
    /// <summary>SCTP port of this side (SDP a=sctp-port; 5000 by convention).</summary>
    public ushort LocalPort { get; init; } = 5000;

    public ushort RemotePort { get; init; } = 5000;

    /// <summary>Largest SCTP packet we emit. Must fit the DTLS plaintext limit (1163 for a 1200-byte datagram).</summary>
    public int MaxPacketSize { get; init; } = 1200;

    /// <summary>Largest user message accepted from the app or reassembled from the peer (SDP max-message-size).</summary>
    public int MaxMessageSize { get; init; } = 256 * 1024;

    /// <summary>Receive buffer: bounds reassembly memory and is advertised as a_rwnd.</summary>
    public int ReceiveBufferSize { get; init; } = 1024 * 1024;

    /// <summary>Bytes queued by the app and not yet transmitted, over all streams; Send fails beyond it.</summary>
    public long MaxBufferedAmount { get; init; } = 16 * 1024 * 1024;

    public ushort OutboundStreams { get; init; } = 65535;

    public ushort MaxInboundStreams { get; init; } = 65535;

    public TimeSpan RtoInitial { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// RTO floor. RFC 9260 says 1 s; WebRTC stacks use far less because games cannot wait a second. 300 ms stays above
    /// the peer's 200 ms delayed SACK plus a LAN RTT, so a lone message does not trigger a spurious T3.
    /// </summary>
    public TimeSpan RtoMin { get; init; } = TimeSpan.FromMilliseconds(300);

    public TimeSpan RtoMax { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Delayed SACK timer (RFC 9260 §6.2 allows at most 500 ms; 200 ms is the usual choice).</summary>
    public TimeSpan DelayedAckTimeout { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Acknowledge at least every Nth packet carrying DATA. RFC 9260 §6.2 says SHOULD every second packet; the default
    /// of 4 halves the SACKs sent toward a browser, whose single network thread and 128 KiB UDP receive buffer overflowed
    /// with our SACKs while it was sending in bulk (measured: 1 200–3 600 kernel drops per bench run at 2, each storm
    /// costing the browser's sender RTO retransmissions; none at 4; docs/benchmarks.md). Gaps, duplicates and the
    /// delayed-ack timer still trigger a SACK at once.
    /// </summary>
    public int SackEveryNPackets { get; init; } = 4;

    /// <summary>
    /// When 2 ≤ unacknowledged packets &lt; <see cref="SackEveryNPackets"/>, the SACK goes out after at most this delay
    /// instead of <see cref="DelayedAckTimeout"/>, so thinning SACKs in a bulk flow never stalls a sender that has
    /// only two or three packets in flight. A single packet still waits for the delayed-ack timer.
    /// </summary>
    public TimeSpan StretchedAckDelay { get; init; } = TimeSpan.FromMilliseconds(2);

    public int MaxInitRetransmits { get; init; } = 8;

    /// <summary>Association.Max.Retrans: consecutive T3/T2 expirations before the association is declared dead.</summary>
    public int MaxAssociationRetransmits { get; init; } = 10;

    public TimeSpan CookieLifetime { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>HMAC key for the state cookie; random per association when null.</summary>
    public ReadOnlyMemory<byte>? CookieSecret { get; init; }

    /// <summary>
    /// Max.Burst (RFC 9260 §6.1, §16): packets of new DATA sent per send opportunity, i.e. per SACK that acknowledges
    /// data, per pacing tick or after the flight drained. A SACK that acknowledged more (a peer that thins its SACKs)
    /// allows what it acked plus one packet, at most twice Max.Burst. When it holds data back while the window has room,
    /// the rest follows at the next SACK or at a pacing deadline exposed by <c>PollTimeout</c> (about SRTT × burst / cwnd,
    /// so a burst-limited window is still spent within one RTT). 0 disables the limit.
    /// </summary>
    public int MaxBurst { get; init; } = 4;

    /// <summary>
    /// Delay-based cap on the congestion window: growth stops, and the window shrinks by one MTU per RTT, while the
    /// bytes the RTT says are queued on the path (cwnd × (SRTT − min RTT) / SRTT, as in TCP Vegas) exceed this. Loss-based
    /// control alone fills the bottleneck queue until it drops; on loopback that queue is the browser's UDP receive
    /// buffer (Chromium asks for 128 KiB, about 55 datagrams), and every overflow costs unreliable messages and
    /// retransmissions. 0 disables it (pure RFC 9260 §7.2).
    /// </summary>
    public int MaxQueuedBytes { get; init; } = 32 * 1024;

    /// <summary>
    /// HB.interval (RFC 9260 §8.3): an idle association (no DATA sent for this long) sends a HEARTBEAT every interval
    /// + RTO (± RTO/2 jitter). The answer refreshes the RTO; unanswered ones count toward
    /// <see cref="MaxAssociationRetransmits"/>, so a peer that vanished while idle is detected. Null disables sending
    /// (received HEARTBEATs are always answered).
    /// </summary>
    public TimeSpan? HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);

    public int MaxGapBlocksPerSack { get; init; } = 64;

    public int MaxDuplicateTsnsPerSack { get; init; } = 16;

    /// <summary>Events not yet drained by the app; past it the association aborts rather than buffer without bound.</summary>
    public int MaxPendingEvents { get; init; } = 65536;

    // Rounded down to a multiple of 4: the chunk's padding travels in the packet too (RFC 9260 §3.2), so with a
    // MaxPacketSize such as DTLS's 1163-byte record limit a full fragment would otherwise overshoot it by up to 3 bytes.
    internal int MaxDataPayloadPerChunk => (MaxPacketSize - SctpPacket.CommonHeaderLength - DataChunk.HeaderLength) & ~3;

    internal void Validate()
    {
        if (MaxPacketSize is < 256 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPacketSize));
        }

        if (MaxMessageSize < 1 || ReceiveBufferSize < MaxMessageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(ReceiveBufferSize), "receive buffer must hold at least one max-size message");
        }

        if (RtoMin <= TimeSpan.Zero || RtoMax < RtoMin || RtoInitial < RtoMin || SackEveryNPackets < 1 || OutboundStreams == 0 || MaxInboundStreams == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(RtoMin), "inconsistent timer or stream options");
        }

        if (StretchedAckDelay <= TimeSpan.Zero || StretchedAckDelay > DelayedAckTimeout)
        {
            throw new ArgumentOutOfRangeException(nameof(StretchedAckDelay), "must be positive and at most the delayed-ack timeout");
        }

        if (MaxBurst < 0 || MaxQueuedBytes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBurst), "burst and queue limits must not be negative");
        }

        if (MaxQueuedBytes > 0 && MaxQueuedBytes < 4 * MaxPacketSize)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxQueuedBytes), "queue limit below four packets would starve the window");
        }

        if (HeartbeatInterval is { } hb && hb <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(HeartbeatInterval), "heartbeat interval must be positive (or null to disable)");
        }
    }
}
