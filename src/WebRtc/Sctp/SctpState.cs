namespace Enslavism.WebRtc.Sctp;

/// <summary>Association states, RFC 9260 §4 (Closed = passive, waiting for an INIT; Terminated = final).</summary>
public enum SctpState
{
    Closed,
    CookieWait,
    CookieEchoed,
    Established,
    ShutdownPending,
    ShutdownSent,
    ShutdownReceived,
    ShutdownAckSent,
    Terminated,
}
