using System.Net;
using Enslavism.WebRtc.Sdp;

namespace Enslavism.WebRtc.Tests.Sdp;

public class SdpOfferParserCapturedTests
{
    public static TheoryData<string, string, string, int, long?, bool, int, bool, string> Expected() => new()
    {
        // name, ufrag, pwd, m-line port, max-message-size, legacy, candidates, end-of-candidates, sha-256 prefix
        { "chromium", "tVu9", "Lqx+MGr7BlF+bBZxnmQBeVOU", 9, 262144, false, 0, false, "C0:7D:D4:EE" },
        { "libwebrtc", "jZgu", "iI2lMdOlwt1YC5ZzoEfAvi7v", 56721, 262144, false, 2, false, "3D:4E:30:FF" },
        { "libdatachannel", "I5Op", "Y65HEaXk3cs15mjiUej9Pw", 53997, 262144, false, 1, true, "5C:A8:C2:F1" },
        { "werift", "0233", "35377c876e0428f38b5186", 9, 65536, false, 1, true, "A9:DE:AF:A7" },
        { "aiortc", "sv6Z", "k9bWzkIR8Algp48lgh6dob", 46772, 65536, true, 1, true, "9C:B7:40:E2" },
        { "pion", "AsVSzvzrEgSYoreB", "ttEInVNBexCtRoCBJBNjKnwWZqSlUWWu", 9, null, false, 2, true, "85:4A:4F:DA" },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void TryParse_CapturedOffer_ExtractsAnswererFields(string name, string ufrag, string pwd, int port,
        long? maxMessageSize, bool legacy, int candidates, bool endOfCandidates, string fingerprintPrefix)
    {
        Assert.True(SdpOfferParser.TryParse(CapturedOffers.Load(name), out var offer, out var error), error?.ToString());
        Assert.Equal(ufrag, offer!.IceUfrag);
        Assert.Equal(pwd, offer.IcePwd);
        Assert.Equal("0", offer.Mid);
        Assert.Equal(["0"], offer.BundleMids);
        Assert.Equal(port, offer.DataMedia.Port);
        Assert.Equal("application", offer.DataMedia.Media);
        Assert.Equal(maxMessageSize, offer.MaxMessageSize);
        Assert.Equal(maxMessageSize ?? 65536, offer.EffectiveMaxMessageSize);
        Assert.Equal(legacy, offer.IsLegacySctp);
        Assert.Equal(5000, offer.SctpPort);
        Assert.Equal(candidates, offer.Candidates.Count);
        Assert.Equal(endOfCandidates, offer.EndOfCandidates);
        Assert.Equal(SdpSetupRole.ActPass, offer.Setup);
        Assert.Equal("sha-256", offer.Sha256Fingerprint.Algorithm);
        Assert.StartsWith(fingerprintPrefix, offer.Sha256Fingerprint.Value, StringComparison.Ordinal);
        Assert.Equal(32, offer.Sha256Fingerprint.Digest.Length);
        Assert.Equal(Convert.FromHexString(fingerprintPrefix.Replace(":", "", StringComparison.Ordinal)), offer.Sha256Fingerprint.Digest.Span[..4].ToArray());
        Assert.Single(offer.MediaSections);
        Assert.Equal(0, offer.DataMediaIndex);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void TryParse_CapturedOfferWithLfOnly_SameResult(string name)
    {
        var crlf = CapturedOffers.Load(name);
        Assert.Contains("\r\n", crlf, StringComparison.Ordinal);
        Assert.True(SdpOfferParser.TryParse(crlf, out var a, out _));
        Assert.True(SdpOfferParser.TryParse(crlf.Replace("\r\n", "\n", StringComparison.Ordinal), out var b, out _));
        Assert.Equal(a!.IceUfrag, b!.IceUfrag);
        Assert.Equal(a.IcePwd, b.IcePwd);
        Assert.Equal(a.Sha256Fingerprint, b.Sha256Fingerprint);
        Assert.Equal(a.Candidates, b.Candidates);
    }

    [Fact]
    public void TryParse_Libwebrtc_CandidatesIncludeIpv6()
    {
        Assert.True(SdpOfferParser.TryParse(CapturedOffers.Load("libwebrtc"), out var offer, out _));
        var first = offer!.Candidates[0];
        Assert.Equal(new SdpCandidate("559267639", 1, "udp", 2122267903, "::1", 49071, "host", null, null), first);
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 49071), first.Endpoint);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 56721), offer.Candidates[1].Endpoint);
        Assert.Equal(["trickle"], offer.IceOptions);
    }

    [Fact]
    public void TryParse_Libdatachannel_SessionLevelFingerprintAndIceOptions()
    {
        Assert.True(SdpOfferParser.TryParse(CapturedOffers.Load("libdatachannel"), out var offer, out _));
        Assert.Equal(["ice2", "trickle"], offer!.IceOptions);
        Assert.Single(offer.Fingerprints);
        Assert.Equal("udp", offer.Candidates[0].Transport); // offered as "UDP"
        Assert.Equal("127.0.0.1", offer.ConnectionAddress);
        Assert.Equal("2454899636", offer.OriginSessionId);
    }

    [Fact]
    public void TryParse_Pion_BothComponentsKept()
    {
        Assert.True(SdpOfferParser.TryParse(CapturedOffers.Load("pion"), out var offer, out _));
        Assert.Equal([1, 2], offer!.Candidates.Select(c => c.Component));
    }

    public static TheoryData<string> Names() => [.. CapturedOffers.Names];
}
