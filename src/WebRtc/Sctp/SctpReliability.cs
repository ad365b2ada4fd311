namespace Enslavism.WebRtc.Sctp;

/// <summary>PR-SCTP policy of one message (RFC 3758 §3, RFC 7496): reliable, limited retransmissions or limited lifetime.</summary>
public enum SctpReliabilityKind
{
    Reliable,
    MaxRetransmits,
    MaxLifetime,
}

/// <summary>A message's reliability; construct through the factories so a policy always has a valid value.</summary>
public readonly record struct SctpReliability
{
    private SctpReliability(SctpReliabilityKind kind, uint value)
    {
        Kind = kind;
        Value = value;
    }

    public SctpReliabilityKind Kind { get; }

    /// <summary>Retransmission count or lifetime in milliseconds, depending on <see cref="Kind"/>.</summary>
    public uint Value { get; }

    public static SctpReliability Reliable => default;

    public static SctpReliability MaxRetransmits(uint count) => new(SctpReliabilityKind.MaxRetransmits, count);

    public static SctpReliability MaxLifetime(uint milliseconds) => new(SctpReliabilityKind.MaxLifetime, milliseconds);
}
