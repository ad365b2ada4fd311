namespace Enslavism.WebRtc.Sctp;

/// <summary>A user message queued for sending; fragmented lazily as packets are built (RFC 9260 §6.9).</summary>
internal sealed class OutboundMessage(ushort streamId, uint ppid, byte[] payload, bool unordered, SctpReliability reliability, ushort ssn, TimeSpan enqueuedAt)
{
    public ushort StreamId { get; } = streamId;

    public uint Ppid { get; } = ppid;

    public byte[] Payload { get; } = payload;

    public bool Unordered { get; } = unordered;

    public SctpReliability Reliability { get; } = reliability;

    public ushort Ssn { get; set; } = ssn;

    public TimeSpan EnqueuedAt { get; } = enqueuedAt;

    /// <summary>Next payload byte not yet placed into a DATA chunk.</summary>
    public int Offset { get; set; }

    public bool Abandoned { get; set; }

    /// <summary>Fragments already given a TSN; all of them are abandoned together.</summary>
    public List<InflightChunk> Fragments { get; } = [];

    public int Remaining => Payload.Length - Offset;

    public bool IsExpired(TimeSpan now) =>
        Reliability.Kind == SctpReliabilityKind.MaxLifetime && now - EnqueuedAt > TimeSpan.FromMilliseconds(Reliability.Value);
}
