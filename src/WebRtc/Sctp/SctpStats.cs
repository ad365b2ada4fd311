namespace Enslavism.WebRtc.Sctp;

/// <summary>Counters for diagnostics and tests; never used for protocol decisions.</summary>
public sealed class SctpStats
{
    public long PacketsReceived { get; internal set; }

    public long PacketsSent { get; internal set; }

    public long MalformedPackets { get; internal set; }

    public long DroppedPackets { get; internal set; }

    public SctpParseError LastParseError { get; internal set; }

    /// <summary>DATA chunks sent for the first time.</summary>
    public long DataChunksSent { get; internal set; }

    /// <summary>DATA chunks sent again (fast retransmit or T3-rtx), each retransmission counted.</summary>
    public long DataChunksRetransmitted { get; internal set; }

    /// <summary>User-data bytes of <see cref="DataChunksRetransmitted"/>.</summary>
    public long DataBytesRetransmitted { get; internal set; }

    /// <summary>DATA chunks marked for fast retransmission after three miss indications (RFC 9260 §7.2.4).</summary>
    public long FastRetransmits { get; internal set; }

    /// <summary>T3-rtx expirations with data outstanding (RFC 9260 §6.3.3).</summary>
    public long T3Expirations { get; internal set; }

    /// <summary>Messages given up by their PR-SCTP policy (RFC 3758), queued or already in flight.</summary>
    public long MessagesAbandoned { get; internal set; }

    public long ForwardTsnSent { get; internal set; }

    public long ForwardTsnReceived { get; internal set; }

    public long DataChunksReceived { get; internal set; }

    public long DuplicateTsnsReceived { get; internal set; }

    /// <summary>New DATA chunks that arrived above a hole (TSN beyond cumulative TSN + 1): loss or reordering on the way in.</summary>
    public long DataChunksReceivedOutOfOrder { get; internal set; }

    public long DataChunksDroppedNoBuffer { get; internal set; }

    public long SacksSent { get; internal set; }

    /// <summary>SACKs sent that carried at least one gap ack block.</summary>
    public long SacksSentWithGaps { get; internal set; }

    public long SacksReceived { get; internal set; }

    public long HeartbeatsSent { get; internal set; }

    /// <summary>HEARTBEAT-ACKs that matched our outstanding HEARTBEAT (RTT measured from them).</summary>
    public long HeartbeatAcksReceived { get; internal set; }

    /// <summary>Our HEARTBEATs not answered within one RTO; each counts toward Association.Max.Retrans.</summary>
    public long HeartbeatsUnanswered { get; internal set; }

    /// <summary>HEARTBEATs received from the peer (and answered).</summary>
    public long HeartbeatsReceived { get; internal set; }

    /// <summary>Times new DATA was held back by <see cref="SctpOptions.MaxBurst"/> while the congestion window had room.</summary>
    public long BurstLimitedSends { get; internal set; }

    /// <summary>
    /// ACKs on which congestion-window growth was withheld (or the window trimmed) because the RTT showed more than
    /// <see cref="SctpOptions.MaxQueuedBytes"/> queued on the path.
    /// </summary>
    public long DelayLimitedAcks { get; internal set; }

    public long ErrorChunksReceived { get; internal set; }
}
