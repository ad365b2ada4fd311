namespace Enslavism.WebRtc.Sctp;

/// <summary>A DATA chunk that has a TSN and awaits its cumulative acknowledgement (RFC 9260 §6.1, §6.3).</summary>
internal sealed class InflightChunk(uint tsn, OutboundMessage message, ReadOnlyMemory<byte> data, bool beginning, bool ending)
{
    public uint Tsn { get; } = tsn;

    public OutboundMessage Message { get; } = message;

    public ReadOnlyMemory<byte> Data { get; } = data;

    public bool Beginning { get; } = beginning;

    public bool Ending { get; } = ending;

    /// <summary>Size on the wire (16-byte header + padded payload); what flight size and cwnd count.</summary>
    public int WireSize => SctpWire.Pad4(DataChunk.HeaderLength + Data.Length);

    public TimeSpan LastSentAt { get; set; }

    public int TransmitCount { get; set; }

    /// <summary>Covered by a gap ack block (not yet cumulatively acknowledged).</summary>
    public bool GapAcked { get; set; }

    public bool Abandoned { get; set; }

    public bool NeedsRetransmit { get; set; }

    /// <summary>Counted in the flight size (sent, not acked, not abandoned, not marked for retransmission).</summary>
    public bool InFlight { get; set; }

    public int MissIndications { get; set; }

    public bool FastRetransmitted { get; set; }

    public DataChunk ToChunk() =>
        new(Tsn, Message.StreamId, Message.Ssn, Message.Ppid, Data, Message.Unordered, Beginning, Ending);
}
