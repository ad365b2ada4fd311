using Enslavism.WebRtc.Stun;

namespace Enslavism.WebRtc.Ice;

/// <summary>Timers and limits of an <see cref="IceControllingAgent"/>. Call <see cref="Validate"/> (the agent does).</summary>
public sealed record IceControllingAgentOptions
{
    public static IceControllingAgentOptions Default { get; } = new();

    /// <summary>
    /// Interval between check rounds before the first success. Loopback and LAN answer within milliseconds; a lost
    /// request is simply repeated in the next round (RFC 8445 §14.3 paces checks, RFC 8489 §6.2.1 retransmits).
    /// </summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Interval of consent checks once connected (RFC 7675 §5.1 suggests 5 s ± 20 %; browsers use ~2 s).</summary>
    public TimeSpan ConsentInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Consent is lost when no check succeeded for this long (RFC 7675 §5.1: 30 s).</summary>
    public TimeSpan ConsentTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Give up when no check succeeds this long after creation.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Most remote candidates checked (the rest of the answer's candidates are ignored).</summary>
    public int MaxRemoteCandidates { get; init; } = 8;

    /// <summary>Outstanding transactions remembered for matching responses; the oldest are forgotten first.</summary>
    public int MaxPendingTransactions { get; init; } = 64;

    /// <summary>Most datagrams waiting in the transmit queue; more are dropped (counted) if the owner doesn't drain.</summary>
    public int MaxQueuedTransmits { get; init; } = 64;

    public StunParserOptions StunParser { get; init; } = StunParserOptions.Default;

    public void Validate()
    {
        if (CheckInterval <= TimeSpan.Zero || ConsentInterval <= TimeSpan.Zero || ConsentTimeout <= ConsentInterval || ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(CheckInterval), "timers must be positive and ConsentTimeout > ConsentInterval");
        }

        if (MaxRemoteCandidates < 1 || MaxPendingTransactions < 1 || MaxQueuedTransmits < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRemoteCandidates), "limits must be at least 1");
        }

        ArgumentNullException.ThrowIfNull(StunParser);
        StunParser.Validate();
    }
}
