using Org.BouncyCastle.Crypto.Tls;

namespace Enslavism.WebRtc.Dtls;

/// <summary>Cipher suites we negotiate, in preference order.</summary>
internal static class DtlsCipherSuites
{
    /// <summary>
    /// 0xC02B is mandatory (RFC 8827 §6.5) and picked by every peer tested (V13); ChaCha20 (RFC 7905, BC's "DRAFT"
    /// constant has the final value 0xCCA9) and AES-256-GCM cover NSS/OpenSSL preferences. All are ECDHE_ECDSA
    /// because our certificate is ECDSA P-256, and all are AEAD suites our own record layer runs after the handshake
    /// (<see cref="DtlsRecordLayer"/>): CBC suites are not offered, so no session falls back to BouncyCastle's record
    /// layer (which fails a session on one forged record). Suites the platform's crypto lacks are left out.
    /// </summary>
    public static readonly int[] Preferred = Array.FindAll(
        [
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            CipherSuite.DRAFT_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        ],
        suite => DtlsAeadSuite.TryGet(suite, out _));

    /// <summary>use_srtp profiles (RFC 5764 §4.1.2) we are willing to echo or offer, in preference order.</summary>
    public static readonly int[] SrtpProfiles =
    [
        SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80,
        SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM,
        SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_32,
        SrtpProtectionProfile.SRTP_AEAD_AES_256_GCM,
    ];

    /// <summary>Signature algorithms we accept from the peer (TLS 1.2 signature_algorithms / CertificateRequest).</summary>
    public static System.Collections.IList SupportedSignatureAlgorithms() => new System.Collections.ArrayList
    {
        new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa),
        new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.rsa),
        new SignatureAndHashAlgorithm(HashAlgorithm.sha384, SignatureAlgorithm.ecdsa),
        new SignatureAndHashAlgorithm(HashAlgorithm.sha384, SignatureAlgorithm.rsa),
        new SignatureAndHashAlgorithm(HashAlgorithm.sha1, SignatureAlgorithm.ecdsa),
        new SignatureAndHashAlgorithm(HashAlgorithm.sha1, SignatureAlgorithm.rsa),
    };
}
