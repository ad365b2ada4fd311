using Enslavism.WebRtc.Stun;

namespace Enslavism.WebRtc.Ice;

/// <summary>Limits and timeouts of an <see cref="IceLiteAgent"/>. Call <see cref="Validate"/> (the agent does).</summary>
public sealed record IceLiteAgentOptions
{
    public static IceLiteAgentOptions Default { get; } = new();

    /// <summary>
    /// Close when no valid check arrives for this long after the last one (RFC 7675 consent freshness: the
    /// browser itself gives up after 30 s without responses; it checks about every 2–2.5 s).
    /// </summary>
    public TimeSpan ConsentTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Close when no valid check arrives this long after the agent was created.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Most remote addresses remembered as valid; the least recently checked non-selected one is evicted.</summary>
    public int MaxValidRemotes { get; init; } = 8;

    /// <summary>Most responses waiting in the transmit queue; more are dropped (counted) if the owner doesn't drain.</summary>
    public int MaxQueuedTransmits { get; init; } = 64;

    /// <summary>Most events waiting in the event queue; more are dropped (counted).</summary>
    public int MaxQueuedEvents { get; init; } = 64;

    /// <summary>Answer unauthenticated or malformed Binding requests with 400/401 (RFC 8489 §9.1.3); false = drop silently.</summary>
    public bool SendErrorResponses { get; init; } = true;

    /// <summary>Cap on unauthenticated error responses (400/401) per second, against reflection abuse.</summary>
    public int MaxErrorResponsesPerSecond { get; init; } = 10;

    public StunParserOptions StunParser { get; init; } = StunParserOptions.Default;

    public void Validate()
    {
        if (ConsentTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ConsentTimeout), ConsentTimeout, "must be positive");
        }

        if (ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ConnectTimeout), ConnectTimeout, "must be positive");
        }

        if (MaxValidRemotes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxValidRemotes), MaxValidRemotes, "must be at least 1");
        }

        if (MaxQueuedTransmits < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxQueuedTransmits), MaxQueuedTransmits, "must be at least 1");
        }

        if (MaxQueuedEvents < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxQueuedEvents), MaxQueuedEvents, "must be at least 1");
        }

        if (MaxErrorResponsesPerSecond < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxErrorResponsesPerSecond), MaxErrorResponsesPerSecond, "must not be negative");
        }

        ArgumentNullException.ThrowIfNull(StunParser);
        StunParser.Validate();
    }
}
