namespace Enslavism.WebRtc.Sctp;

/// <summary>Counters for diagnostics and tests; never used for protocol decisions.</summary>
public sealed class SctpStats
{
    public long PacketsReceived { get; internal set; }

    public long PacketsSent { get; internal set; }

    public long MalformedPackets { get; internal set; }

    public long DroppedPackets { get; internal set; }

    public SctpParseError LastParseError { get; internal set; }

    public long DataChunksSent { get; internal set; }

    public long DataChunksRetransmitted { get; internal set; }

    public long FastRetransmits { get; internal set; }

    public long T3Expirations { get; internal set; }

    public long MessagesAbandoned { get; internal set; }

    public long ForwardTsnSent { get; internal set; }

    public long DataChunksReceived { get; internal set; }

    public long DuplicateTsnsReceived { get; internal set; }

    public long DataChunksDroppedNoBuffer { get; internal set; }

    public long ErrorChunksReceived { get; internal set; }
}
