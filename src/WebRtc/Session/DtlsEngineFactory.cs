using Enslavism.WebRtc.Dtls;

namespace Enslavism.WebRtc.Session;

/// <summary>
/// Creates the DTLS engine of a new session. Production uses <see cref="BcDtlsEngine"/>; deterministic tests inject an
/// engine without a handshake thread.
/// </summary>
/// <param name="role">Our DTLS role, decided by SDP <c>a=setup</c>.</param>
/// <param name="identity">Our certificate.</param>
/// <param name="remoteFingerprints">The peer's SDP sha-256 fingerprints; its certificate must match one.</param>
/// <param name="options">DTLS limits from <see cref="WebRtcSessionOptions.Dtls"/>.</param>
public delegate IDtlsEngine DtlsEngineFactory(DtlsRole role, DtlsIdentity identity, IReadOnlyList<DtlsFingerprint> remoteFingerprints, DtlsOptions options);
