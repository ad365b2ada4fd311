namespace Enslavism.WebRtc.Session;

/// <summary>
/// When one <see cref="WebRtcSession"/> passed each step of its setup, in the <c>now</c> the session was driven with
/// (the host's monotonic clock; the session never reads a clock itself). Null until the step happened. Differences
/// between two values say where setup time goes, e.g. <see cref="DtlsConnected"/> − <see cref="FirstDtlsReceived"/>
/// is the DTLS handshake as this side saw it, including the hand-off to and from the handshake worker.
/// </summary>
public sealed class WebRtcSessionPhases
{
    /// <summary>The session was created (answerer: the offer was accepted; offerer: the answer was applied).</summary>
    public TimeSpan Created { get; internal set; }

    /// <summary>First STUN datagram from the peer (answerer: its first connectivity check).</summary>
    public TimeSpan? FirstStunReceived { get; internal set; }

    /// <summary>First address that passed an ICE check (answerer: first valid check; offerer: first success response).</summary>
    public TimeSpan? IceFirstValid { get; internal set; }

    /// <summary>The peer nominated a pair (USE-CANDIDATE), or the offerer selected one.</summary>
    public TimeSpan? IceSelected { get; internal set; }

    /// <summary>The DTLS handshake was started: the first DTLS datagram arrived (server role) or ICE selected a pair (client role).</summary>
    public TimeSpan? DtlsStarted { get; internal set; }

    /// <summary>First DTLS datagram from the peer (server role: the first ClientHello fragment).</summary>
    public TimeSpan? FirstDtlsReceived { get; internal set; }

    /// <summary>Our first DTLS datagram left the session (server role: the ServerHello flight).</summary>
    public TimeSpan? FirstDtlsSent { get; internal set; }

    /// <summary>The last DTLS datagram that arrived before the handshake completed (server role: the client's final flight).</summary>
    public TimeSpan? LastHandshakeDatagramReceived { get; internal set; }

    /// <summary>The DTLS handshake completed and the peer's certificate matched its fingerprint.</summary>
    public TimeSpan? DtlsConnected { get; internal set; }

    /// <summary>The SCTP association was established (COOKIE-ECHO accepted, or COOKIE-ACK received).</summary>
    public TimeSpan? SctpEstablished { get; internal set; }

    /// <summary>The first data channel opened (either side's).</summary>
    public TimeSpan? FirstChannelOpened { get; internal set; }

    /// <summary>The most recent data channel opened.</summary>
    public TimeSpan? LastChannelOpened { get; internal set; }

    /// <summary>Channels opened so far.</summary>
    public int ChannelsOpened { get; internal set; }

    /// <summary>A copy, e.g. to hand the values to another thread.</summary>
    public WebRtcSessionPhases Clone() => (WebRtcSessionPhases)MemberwiseClone();

    /// <summary>Milliseconds from <see cref="Created"/> to <paramref name="phase"/>, or null when it has not happened.</summary>
    public double? MillisecondsSinceCreated(TimeSpan? phase) => phase is { } at ? (at - Created).TotalMilliseconds : null;
}
