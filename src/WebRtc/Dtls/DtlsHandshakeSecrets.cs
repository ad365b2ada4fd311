namespace Enslavism.WebRtc.Dtls;

/// <summary>
/// What our record layer needs from BouncyCastle's finished handshake: the negotiated suite, the master secret
/// (RFC 5246 §8.1, or the RFC 7627 extended master secret) and both hello randoms. Copies, because BC wipes its
/// <c>SecurityParameters</c> when the handshake returns.
/// </summary>
internal sealed record DtlsHandshakeSecrets(int CipherSuite, byte[] MasterSecret, byte[] ClientRandom, byte[] ServerRandom);
