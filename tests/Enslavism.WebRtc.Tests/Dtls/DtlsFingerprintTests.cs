using System.Security.Cryptography;
using Enslavism.WebRtc.Dtls;

namespace Enslavism.WebRtc.Tests.Dtls;

public sealed class DtlsFingerprintTests
{
    // The answer fingerprint from webrtc-stack.md §3.1 (a real run).
    private const string SdpValue =
        "sha-256 E7:8F:83:40:55:05:A3:78:D4:8F:23:A0:17:F7:6C:8A:E3:AF:8E:E4:09:FC:A2:34:98:06:B0:08:C9:50:56:DE";

    [Fact]
    public void TryParseSdp_Golden_DecodesBytesAndFormatsIdentically()
    {
        Assert.True(DtlsFingerprint.TryParseSdp(SdpValue, out var fingerprint, out var error));
        Assert.Equal(DtlsFingerprintParseError.None, error);
        Assert.Equal(Convert.FromHexString("E78F83405505A378D48F23A017F76C8AE3AF8EE409FCA2349806B008C95056DE"), fingerprint.Hash.ToArray());
        Assert.Equal(SdpValue, fingerprint.ToSdpValue());
        Assert.Equal(SdpValue[8..], fingerprint.ToHexString());
    }

    [Fact]
    public void TryParseSdp_LowerCaseAndUpperCaseName_EqualsUpperCase()
    {
        Assert.True(DtlsFingerprint.TryParseSdp("SHA-256 " + SdpValue[8..].ToLowerInvariant(), out var lower, out _));
        Assert.True(DtlsFingerprint.TryParseSdp(SdpValue, out var upper, out _));
        Assert.Equal(upper, lower);
        Assert.Equal(upper.GetHashCode(), lower.GetHashCode());
    }

    [Theory]
    [InlineData(null, DtlsFingerprintParseError.Empty)]
    [InlineData("  ", DtlsFingerprintParseError.Empty)]
    [InlineData("E7:8F", DtlsFingerprintParseError.MissingHashFunction)]
    [InlineData("sha-1 E7:8F:83:40:55:05:A3:78:D4:8F:23:A0:17:F7:6C:8A:E3:AF:8E:E4", DtlsFingerprintParseError.UnsupportedHashFunction)]
    [InlineData("sha-256 E7:8F:83", DtlsFingerprintParseError.WrongLength)]
    [InlineData("sha-256 E7-8F-83-40-55-05-A3-78-D4-8F-23-A0-17-F7-6C-8A-E3-AF-8E-E4-09-FC-A2-34-98-06-B0-08-C9-50-56-DE", DtlsFingerprintParseError.MalformedHex)]
    [InlineData("sha-256 G7:8F:83:40:55:05:A3:78:D4:8F:23:A0:17:F7:6C:8A:E3:AF:8E:E4:09:FC:A2:34:98:06:B0:08:C9:50:56:DE", DtlsFingerprintParseError.MalformedHex)]
    [InlineData("sha-256 +7:8F:83:40:55:05:A3:78:D4:8F:23:A0:17:F7:6C:8A:E3:AF:8E:E4:09:FC:A2:34:98:06:B0:08:C9:50:56:DE", DtlsFingerprintParseError.MalformedHex)]
    public void TryParseSdp_Invalid_ReturnsTypedError(string? value, DtlsFingerprintParseError expected)
    {
        Assert.False(DtlsFingerprint.TryParseSdp(value, out var fingerprint, out var error));
        Assert.Null(fingerprint);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryParseSdp_RandomStrings_NeverThrow()
    {
        var random = new Random(1234);
        const string alphabet = "0123456789abcdefABCDEF:-sha256 \t";
        for (var i = 0; i < 5000; i++)
        {
            var chars = new char[random.Next(0, 110)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = alphabet[random.Next(alphabet.Length)];
            }

            var text = i % 2 == 0 ? new string(chars) : "sha-256 " + new string(chars);
            if (DtlsFingerprint.TryParseSdp(text, out var parsed, out _))
            {
                Assert.Equal(32, parsed.Hash.Length);
            }
        }
    }

    [Fact]
    public void MatchesCertificate_OwnDer_TrueOtherDer_False()
    {
        var identity = DtlsTestSupport.ServerIdentity;
        Assert.True(identity.Fingerprint.MatchesCertificate(identity.CertificateDer));
        Assert.False(identity.Fingerprint.MatchesCertificate(DtlsTestSupport.ClientIdentity.CertificateDer));
        Assert.NotEqual(identity.Fingerprint, DtlsTestSupport.ClientIdentity.Fingerprint);
    }

    [Fact]
    public void FromCertificateDer_IsSha256OfDer()
    {
        var der = DtlsTestSupport.ServerIdentity.CertificateDer.ToArray();
        Assert.Equal(SHA256.HashData(der), DtlsFingerprint.FromCertificateDer(der).Hash.ToArray());
        Assert.Throws<ArgumentException>(() => DtlsFingerprint.FromSha256(new byte[31]));
    }
}
