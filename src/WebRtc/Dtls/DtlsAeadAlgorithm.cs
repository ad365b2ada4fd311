namespace Enslavism.WebRtc.Dtls;

/// <summary>Record protection algorithms our own record layer implements.</summary>
internal enum DtlsAeadAlgorithm
{
    /// <summary>AES-GCM with a 4-byte implicit salt and an 8-byte explicit nonce, RFC 5288 §3.</summary>
    AesGcm,

    /// <summary>ChaCha20-Poly1305 with a 12-byte implicit IV XOR the record sequence number, RFC 7905 §2.</summary>
    ChaCha20Poly1305,
}
