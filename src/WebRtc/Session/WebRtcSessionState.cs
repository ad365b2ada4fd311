namespace Enslavism.WebRtc.Session;

/// <summary>Lifecycle of a <see cref="WebRtcSession"/>.</summary>
public enum WebRtcSessionState
{
    /// <summary>ICE checks, DTLS handshake or SCTP association still in progress.</summary>
    Connecting,
    /// <summary>All layers up (<see cref="SessionConnected"/> was raised).</summary>
    Connected,
    /// <summary><see cref="WebRtcSession.Close"/> was called; SCTP SHUTDOWN in progress.</summary>
    Closing,
    /// <summary>Terminal (<see cref="SessionClosed"/> was raised).</summary>
    Closed,
}
