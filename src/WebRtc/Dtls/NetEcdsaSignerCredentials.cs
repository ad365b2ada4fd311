using Org.BouncyCastle.Crypto.Tls;

namespace Enslavism.WebRtc.Dtls;

/// <summary>
/// Our certificate plus signing on the BCL key of <see cref="DtlsIdentity"/>: BouncyCastle still decides what to sign
/// (ServerKeyExchange params, or the CertificateVerify transcript hash, RFC 5246 §7.4.3 / §7.4.8) and hands over the
/// digest; only the ECDSA operation moves off BC's managed EC math.
/// </summary>
internal sealed class NetEcdsaSignerCredentials(DtlsIdentity identity, SignatureAndHashAlgorithm algorithm) : TlsSignerCredentials
{
    public Certificate Certificate => identity.Chain;

    public SignatureAndHashAlgorithm SignatureAndHashAlgorithm => algorithm;

    public byte[] GenerateCertificateSignature(byte[] hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return identity.SignHash(hash);
    }
}
