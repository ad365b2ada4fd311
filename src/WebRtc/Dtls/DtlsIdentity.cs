using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;
using BcCertificate = Org.BouncyCastle.Crypto.Tls.Certificate;
using BclCertificateRequest = System.Security.Cryptography.X509Certificates.CertificateRequest;

namespace Enslavism.WebRtc.Dtls;

/// <summary>
/// The DTLS certificate of one endpoint: an ECDSA P-256 self-signed certificate (RFC 8827 §6.5 requires P-256 ECDSA
/// support; RFC 8122 only binds it by fingerprint, so subject and chain are irrelevant). One identity per process is
/// enough and is shared read-only by every session; the fingerprint goes into every SDP answer.
/// </summary>
public sealed class DtlsIdentity
{
    private readonly byte[] _certificateDer;
    private readonly ECDsa? _signingKey;
    private readonly Lock _signingGate = new();

    private DtlsIdentity(byte[] certificateDer, AsymmetricKeyParameter privateKey, ECDsa? signingKey)
    {
        _certificateDer = certificateDer;
        PrivateKey = privateKey;
        _signingKey = signingKey;
        Fingerprint = DtlsFingerprint.FromCertificateDer(certificateDer);
        var structure = X509CertificateStructure.GetInstance(Asn1Object.FromByteArray(certificateDer));
        Chain = new BcCertificate([structure]);
    }

    /// <summary>DER encoding of the certificate.</summary>
    public ReadOnlySpan<byte> CertificateDer => _certificateDer;

    /// <summary>SHA-256 fingerprint for <c>a=fingerprint</c>.</summary>
    public DtlsFingerprint Fingerprint { get; }

    internal BcCertificate Chain { get; }

    internal AsymmetricKeyParameter PrivateKey { get; }

    /// <summary>True when the key is ECDSA P-256, so <see cref="SignHash"/> can sign on the BCL (OpenSSL) instead of BC.</summary>
    internal bool HasBclSigningKey => _signingKey is not null;

    /// <summary>
    /// ECDSA signature (DER, RFC 3279) of a precomputed digest with the BCL key: ~25× faster than BouncyCastle's
    /// managed EC math on the handshake path. Serialised because one identity serves every concurrent handshake.
    /// </summary>
    internal byte[] SignHash(byte[] hash)
    {
        var key = _signingKey ?? throw new InvalidOperationException("The identity has no P-256 ECDSA key for the BCL.");
        lock (_signingGate)
        {
            return key.SignHash(hash, DSASignatureFormat.Rfc3279DerSequence);
        }
    }

    /// <summary>
    /// Creates a fresh key pair and self-signed certificate valid from one day before <paramref name="now"/>
    /// (tolerates peers with a slow clock; browsers do not check validity of WebRTC certificates anyway) for
    /// <paramref name="validity"/> (default 30 days). The wall-clock time is an input so this stays testable.
    /// </summary>
    public static DtlsIdentity CreateSelfSigned(DateTimeOffset now, TimeSpan? validity = null, string subject = "CN=WebRTC")
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new BclCertificateRequest(subject, ecdsa, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now + (validity ?? TimeSpan.FromDays(30)));
        return FromPkcs8(certificate.RawData, ecdsa.ExportPkcs8PrivateKey());
    }

    /// <summary>Loads an existing certificate (DER) and its PKCS#8 private key, e.g. to keep a fingerprint stable across restarts.</summary>
    public static DtlsIdentity FromPkcs8(ReadOnlySpan<byte> certificateDer, ReadOnlySpan<byte> pkcs8PrivateKey)
    {
        var key = PrivateKeyFactory.CreateKey(pkcs8PrivateKey.ToArray());
        return new DtlsIdentity(certificateDer.ToArray(), key, TryImportP256(pkcs8PrivateKey));
    }

    private static ECDsa? TryImportP256(ReadOnlySpan<byte> pkcs8PrivateKey)
    {
        ECDsa? ecdsa = null;
        try
        {
            ecdsa = ECDsa.Create();
            ecdsa.ImportPkcs8PrivateKey(pkcs8PrivateKey, out _);
            if (NetEcdsa.IsP256(ecdsa))
            {
                return ecdsa;
            }
        }
        catch (CryptographicException)
        {
            // Not an EC key (e.g. RSA): BouncyCastle signs instead.
        }

        ecdsa?.Dispose();
        return null;
    }
}
