namespace Enslavism.WebRtc.Dtls;

/// <summary>Why a DTLS session failed.</summary>
public enum DtlsFailureReason
{
    /// <summary>The peer's certificate does not hash to the fingerprint from its SDP (we sent bad_certificate(42)).</summary>
    FingerprintMismatch,

    /// <summary>The peer sent no certificate although one is mandatory in WebRTC (RFC 8827 §6.5).</summary>
    MissingPeerCertificate,

    /// <summary>The handshake did not finish within <see cref="DtlsOptions.HandshakeTimeout"/>.</summary>
    HandshakeTimeout,

    /// <summary>The host cancelled the handshake or the engine was disposed.</summary>
    Cancelled,

    /// <summary>The peer sent a fatal alert.</summary>
    PeerAlert,

    /// <summary>We raised a fatal alert (protocol violation, bad record MAC, unsupported parameters…).</summary>
    LocalAlert,

    /// <summary>Too many malformed or undecryptable records.</summary>
    ProtocolError,

    /// <summary>Any other error inside the DTLS library.</summary>
    InternalError,
}
