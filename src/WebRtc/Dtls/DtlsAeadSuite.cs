using System.Security.Cryptography;
using TlsCipherSuite = Org.BouncyCastle.Crypto.Tls.CipherSuite;

namespace Enslavism.WebRtc.Dtls;

/// <summary>
/// Record-layer parameters of one AEAD cipher suite: key and implicit IV sizes for the key block (RFC 5246 §6.3),
/// explicit nonce size on the wire (RFC 5288 §3: 8; RFC 7905 §2: 0) and the PRF hash (RFC 5246 §5, RFC 5289 §3).
/// </summary>
internal readonly record struct DtlsAeadSuite(
    int CipherSuite,
    DtlsAeadAlgorithm Algorithm,
    int KeyLength,
    int FixedIvLength,
    int ExplicitNonceLength,
    HashAlgorithmName PrfHash)
{
    /// <summary>Authentication tag length of every suite here (GCM and Poly1305 both use 16 bytes).</summary>
    public const int TagLength = 16;

    /// <summary>Bytes a record's fragment is longer than its plaintext.</summary>
    public int Overhead => ExplicitNonceLength + TagLength;

    /// <summary>Key block length: two keys and two implicit IVs (AEAD suites have no MAC keys).</summary>
    public int KeyBlockLength => 2 * (KeyLength + FixedIvLength);

    /// <summary>True when we implement records for <paramref name="cipherSuite"/> on this platform.</summary>
    public static bool TryGet(int cipherSuite, out DtlsAeadSuite suite)
    {
        suite = cipherSuite switch
        {
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 or TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
                when AesGcm.IsSupported =>
                new(cipherSuite, DtlsAeadAlgorithm.AesGcm, 16, 4, 8, HashAlgorithmName.SHA256),
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 or TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
                when AesGcm.IsSupported =>
                new(cipherSuite, DtlsAeadAlgorithm.AesGcm, 32, 4, 8, HashAlgorithmName.SHA384),
            TlsCipherSuite.DRAFT_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256
                or TlsCipherSuite.DRAFT_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
                when ChaCha20Poly1305.IsSupported =>
                new(cipherSuite, DtlsAeadAlgorithm.ChaCha20Poly1305, 32, 12, 0, HashAlgorithmName.SHA256),
            _ => default,
        };
        return suite.KeyLength != 0;
    }
}
