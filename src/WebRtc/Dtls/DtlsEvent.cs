namespace Enslavism.WebRtc.Dtls;

/// <summary>Events an <see cref="IDtlsEngine"/> reports to the layer above (the session / SCTP).</summary>
public abstract record DtlsEvent;

/// <summary>
/// The handshake finished and the peer proved possession of the certificate whose SHA-256 matches its SDP
/// fingerprint (RFC 8122 §5, RFC 5763 §5). Application data may flow from now on.
/// </summary>
/// <param name="PeerFingerprint">Fingerprint of the certificate the peer presented (one of the expected ones).</param>
/// <param name="CipherSuite">IANA cipher suite number, e.g. 0xC02B.</param>
/// <param name="SrtpProtectionProfile">use_srtp profile agreed (RFC 5764), or null; no SRTP is ever used.</param>
/// <param name="ExtendedMasterSecret">Whether RFC 7627 EMS was negotiated.</param>
/// <param name="MaxApplicationDataSize">Largest plaintext <see cref="IDtlsEngine.Send"/> accepts (1163 for
/// AES-GCM at MTU 1200); SCTP must keep its packets at or below it.</param>
public sealed record DtlsHandshakeCompleted(
    DtlsFingerprint PeerFingerprint,
    int CipherSuite,
    int? SrtpProtectionProfile,
    bool ExtendedMasterSecret,
    int MaxApplicationDataSize) : DtlsEvent;

/// <summary>
/// One decrypted application_data record (for WebRTC: one SCTP packet, RFC 8261 §5). Ownership: <see cref="Data"/>
/// belongs to whoever polled the event, for good: an engine never writes to or reuses that memory once the event is
/// queued, so the layer above may keep slices of it (the session lets SCTP keep DATA fragments without a copy).
/// </summary>
public sealed record DtlsApplicationData(ReadOnlyMemory<byte> Data) : DtlsEvent;

/// <summary>Orderly close: close_notify (RFC 5246 §7.2.1) sent by us or received from the peer. Terminal.</summary>
public sealed record DtlsClosed(bool ByPeer) : DtlsEvent;

/// <summary>The session failed. Terminal.</summary>
/// <param name="Reason">Classified cause.</param>
/// <param name="AlertDescription">TLS alert sent or received (RFC 5246 §7.2), e.g. 42 bad_certificate, if any.</param>
/// <param name="Message">Diagnostic text for logs; never shown to remote peers.</param>
public sealed record DtlsFailed(DtlsFailureReason Reason, byte? AlertDescription, string Message) : DtlsEvent;
