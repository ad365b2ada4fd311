namespace Enslavism.WebRtc.Session;

/// <summary>Why a <see cref="WebRtcSession"/> ended (reported once in <see cref="SessionClosed"/>).</summary>
public enum SessionCloseReason
{
    /// <summary>The application closed the session (<see cref="WebRtcSession.Close"/> or <see cref="WebRtcSession.Abort"/>).</summary>
    LocalClose,
    /// <summary>No ICE check succeeded for the consent timeout (RFC 7675): the peer is gone.</summary>
    ConsentLost,
    /// <summary>No ICE check ever succeeded.</summary>
    IceConnectTimeout,
    /// <summary>DTLS failed: handshake error, wrong fingerprint, fatal alert, handshake timeout.</summary>
    DtlsFailed,
    /// <summary>The peer sent a DTLS close_notify.</summary>
    DtlsClosedByPeer,
    /// <summary>The peer aborted the SCTP association.</summary>
    SctpAbort,
    /// <summary>The peer shut the SCTP association down gracefully.</summary>
    Shutdown,
    /// <summary>SCTP gave up: INIT or data retransmission limit reached.</summary>
    Timeout,
    /// <summary>The peer violated SCTP or exhausted a resource limit.</summary>
    ProtocolError,
}
