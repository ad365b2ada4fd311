namespace Enslavism.WebRtc.DataChannels;

/// <summary>
/// Reliability of a channel (RFC 8831 §6.1). A closed sum type: a channel is reliable, or limited by retransmissions,
/// or by lifetime — never both, so the W3C "maxRetransmits and maxPacketLifeTime" conflict cannot be expressed.
/// </summary>
public abstract record Reliability
{
    private Reliability()
    {
    }

    public static Reliability Reliable { get; } = new ReliableReliability();

    public static Reliability MaxRetransmits(ushort count) => new MaxRetransmitsReliability(count);

    public static Reliability MaxPacketLifetime(ushort milliseconds) => new MaxPacketLifetimeReliability(milliseconds);

    /// <summary>Fully reliable delivery.</summary>
    public sealed record ReliableReliability : Reliability;

    /// <summary>Each message is retransmitted at most <paramref name="Count"/> times (0 = sent once).</summary>
    public sealed record MaxRetransmitsReliability(ushort Count) : Reliability;

    /// <summary>Each message is abandoned <paramref name="Milliseconds"/> after it was queued.</summary>
    public sealed record MaxPacketLifetimeReliability(ushort Milliseconds) : Reliability;

    internal static Reliability FromDcep(DataChannelType type, uint parameter) => ((byte)type & 0x7F) switch
    {
        0x01 => new MaxRetransmitsReliability((ushort)Math.Min(parameter, ushort.MaxValue)),
        0x02 => new MaxPacketLifetimeReliability((ushort)Math.Min(parameter, ushort.MaxValue)),
        _ => Reliable,
    };

    internal DataChannelType ToDcepType(bool ordered)
    {
        var type = this switch
        {
            MaxRetransmitsReliability => DataChannelType.PartialReliableRexmit,
            MaxPacketLifetimeReliability => DataChannelType.PartialReliableTimed,
            _ => DataChannelType.Reliable,
        };
        return ordered ? type : (DataChannelType)((byte)type | 0x80);
    }

    internal uint DcepParameter => this switch
    {
        MaxRetransmitsReliability r => r.Count,
        MaxPacketLifetimeReliability l => l.Milliseconds,
        _ => 0,
    };

    internal Sctp.SctpReliability ToSctp() => this switch
    {
        MaxRetransmitsReliability r => Sctp.SctpReliability.MaxRetransmits(r.Count),
        MaxPacketLifetimeReliability l => Sctp.SctpReliability.MaxLifetime(l.Milliseconds),
        _ => Sctp.SctpReliability.Reliable,
    };
}
