using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Enslavism.WebRtc.Dtls;

namespace Enslavism.WebRtc.Tests.Dtls;

public sealed class DtlsIdentityTests
{
    [Fact]
    public void CreateSelfSigned_IsEcdsaP256WithValidityAroundNow()
    {
        var now = new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);
        var identity = DtlsIdentity.CreateSelfSigned(now, TimeSpan.FromDays(7));

        using var certificate = X509CertificateLoader.LoadCertificate(identity.CertificateDer);
        using var key = certificate.GetECDsaPublicKey();
        Assert.NotNull(key);
        Assert.Equal(256, key.KeySize);
        Assert.Equal("CN=WebRTC", certificate.Subject);
        Assert.Equal(now.AddDays(-1).UtcDateTime, certificate.NotBefore.ToUniversalTime());
        Assert.Equal(now.AddDays(7).UtcDateTime, certificate.NotAfter.ToUniversalTime());
        Assert.Equal("1.2.840.10045.4.3.2", certificate.SignatureAlgorithm.Value); // ecdsa-with-SHA256
    }

    [Fact]
    public void Fingerprint_MatchesSdpFormOfCertificateHash()
    {
        var identity = DtlsTestSupport.ServerIdentity;
        var expected = "sha-256 " + string.Join(':', SHA256.HashData(identity.CertificateDer).Select(b => b.ToString("X2", null)));
        Assert.Equal(expected, identity.Fingerprint.ToSdpValue());
    }

    [Fact]
    public void FromPkcs8_RoundTrip_KeepsFingerprintAndSignsHandshake()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=stable", ecdsa, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DtlsTestSupport.CertificateTime, DtlsTestSupport.CertificateTime.AddDays(1));
        var identity = DtlsIdentity.FromPkcs8(certificate.RawData, ecdsa.ExportPkcs8PrivateKey());
        Assert.Equal(DtlsFingerprint.FromCertificateDer(certificate.RawData), identity.Fingerprint);

        var server = new BcDtlsEngine(DtlsRole.Server, identity, [DtlsTestSupport.ClientIdentity.Fingerprint]);
        var client = new BcDtlsEngine(DtlsRole.Client, DtlsTestSupport.ClientIdentity, [identity.Fingerprint]);
        using var pair = new EnginePair(server, client);
        pair.Handshake();
        Assert.Equal(DtlsEngineState.Connected, client.State);
    }
}
