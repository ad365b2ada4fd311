using System.Net;
using Enslavism.WebRtc.Ice;
using Enslavism.WebRtc.Sdp;

namespace Enslavism.WebRtc.Tests.Sdp;

public class SdpAnswerBuilderTests
{
    private static readonly IceCredentials Credentials = new("d4ac95d5", "GwNK4ZRuyv8XKAfMlXXoqff+");

    private static readonly byte[] CertificateDigest = Convert.FromHexString(
        "E78F83405505A378D48F23A017F76C8AE3AF8EE409FCA2349806B008C95056DE");

    private static SdpAnswerOptions Options(params IPEndPoint[] candidates) => new()
    {
        Candidates = candidates.Length == 0 ? [new IPEndPoint(IPAddress.Loopback, 59754)] : candidates,
        CertificateSha256 = CertificateDigest,
    };

    private static SdpOffer Parse(string name)
    {
        Assert.True(SdpOfferParser.TryParse(CapturedOffers.Load(name), out var offer, out var error), error?.ToString());
        return offer!;
    }

    [Fact]
    public void Build_ChromiumOffer_GoldenAnswer()
    {
        var answer = SdpAnswerBuilder.Build(Parse("chromium"), Credentials,
            Options(new IPEndPoint(IPAddress.Loopback, 59754), new IPEndPoint(IPAddress.IPv6Loopback, 59754)),
            sessionId: 2023560266859990187);

        // webrtc-stack.md §3.1 (the answer every peer accepted) plus an IPv6 host candidate.
        const string expected =
            "v=0\r\n" +
            "o=- 2023560266859990187 2 IN IP4 127.0.0.1\r\n" +
            "s=-\r\n" +
            "t=0 0\r\n" +
            "a=group:BUNDLE 0\r\n" +
            "a=msid-semantic: WMS\r\n" +
            "a=ice-lite\r\n" +
            "m=application 59754 UDP/DTLS/SCTP webrtc-datachannel\r\n" +
            "c=IN IP4 127.0.0.1\r\n" +
            "a=mid:0\r\n" +
            "a=ice-ufrag:d4ac95d5\r\n" +
            "a=ice-pwd:GwNK4ZRuyv8XKAfMlXXoqff+\r\n" +
            "a=fingerprint:sha-256 E7:8F:83:40:55:05:A3:78:D4:8F:23:A0:17:F7:6C:8A:E3:AF:8E:E4:09:FC:A2:34:98:06:B0:08:C9:50:56:DE\r\n" +
            "a=setup:passive\r\n" +
            "a=sctp-port:5000\r\n" +
            "a=max-message-size:262144\r\n" +
            "a=candidate:1 1 udp 2130706431 127.0.0.1 59754 typ host generation 0\r\n" +
            "a=candidate:2 1 udp 2130706175 ::1 59754 typ host generation 0\r\n" +
            "a=end-of-candidates\r\n";
        Assert.Equal(expected, answer);
    }

    [Fact]
    public void Build_AiortcLegacyOffer_AnswersInLegacyForm()
    {
        var answer = SdpAnswerBuilder.Build(Parse("aiortc"), Credentials, Options(), 1);
        Assert.Contains("\r\nm=application 59754 DTLS/SCTP 5000\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("\r\na=sctpmap:5000 webrtc-datachannel 65535\r\n", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("a=sctp-port", answer, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SdpOfferParserCapturedTests.Names), MemberType = typeof(SdpOfferParserCapturedTests))]
    public void Build_EveryCapturedOffer_HasRequiredLines(string name)
    {
        var offer = Parse(name);
        var answer = SdpAnswerBuilder.Build(offer, Credentials, Options(), 42, 3);
        var lines = answer.Split("\r\n");
        Assert.Equal(string.Empty, lines[^1]);
        Assert.Equal("v=0", lines[0]);
        Assert.Contains("o=- 42 3 IN IP4 127.0.0.1", lines);
        Assert.Contains("a=ice-lite", lines);
        Assert.Contains("a=setup:passive", lines);
        Assert.Contains($"a=mid:{offer.Mid}", lines);
        Assert.Contains($"a=group:BUNDLE {offer.Mid}", lines);
        Assert.Contains("a=end-of-candidates", lines);
        Assert.DoesNotContain(lines, l => l.Contains('\n', StringComparison.Ordinal));

        // An answer is ICE-lite, so our own offer parser must refuse it as an offer: proves the line is session-level.
        Assert.False(SdpOfferParser.TryParse(answer, out _, out var error));
        Assert.Equal(SdpErrorReason.RemoteIceLite, error!.Reason);
    }

    [Fact]
    public void Build_OfferWithAudio_RejectsItWithPortZeroInOrder()
    {
        var sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE a d\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:a\r\n"
            + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:d\r\n"
            + "a=ice-ufrag:abcd\r\na=ice-pwd:0123456789012345678901\r\n"
            + "a=fingerprint:sha-256 E7:8F:83:40:55:05:A3:78:D4:8F:23:A0:17:F7:6C:8A:E3:AF:8E:E4:09:FC:A2:34:98:06:B0:08:C9:50:56:DE\r\n"
            + "a=setup:actpass\r\n";
        Assert.True(SdpOfferParser.TryParse(sdp, out var offer, out _));
        var answer = SdpAnswerBuilder.Build(offer!, Credentials, Options(), 1);
        var audio = answer.IndexOf("m=audio 0 UDP/TLS/RTP/SAVPF 111\r\n", StringComparison.Ordinal);
        var data = answer.IndexOf("m=application 59754 UDP/DTLS/SCTP webrtc-datachannel\r\n", StringComparison.Ordinal);
        Assert.InRange(audio, 1, data - 1);
        Assert.Contains("a=group:BUNDLE d\r\n", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_OfferWithoutBundle_NoBundleGroupInAnswer()
    {
        var sdp = CapturedOffers.Load("chromium").Replace("a=group:BUNDLE 0\r\n", string.Empty, StringComparison.Ordinal);
        Assert.True(SdpOfferParser.TryParse(sdp, out var offer, out _));
        Assert.Empty(offer!.BundleMids);
        var answer = SdpAnswerBuilder.Build(offer, Credentials, Options(), 1);
        Assert.DoesNotContain("a=group:BUNDLE", answer, StringComparison.Ordinal);
        Assert.Contains("a=mid:0\r\n", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_Ipv6First_UsesIp6InOriginAndConnection()
    {
        var answer = SdpAnswerBuilder.Build(Parse("chromium"), Credentials,
            Options(new IPEndPoint(IPAddress.Parse("2001:db8::1"), 4000), new IPEndPoint(IPAddress.Parse("::ffff:192.0.2.1"), 4000)), 1);
        Assert.Contains("o=- 1 2 IN IP6 2001:db8::1\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("c=IN IP6 2001:db8::1\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("a=candidate:2 1 udp 2130706175 192.0.2.1 4000 typ host generation 0\r\n", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_Invalid_Throw()
    {
        var offer = Parse("chromium");
        Assert.Throws<ArgumentException>(() => SdpAnswerBuilder.Build(offer, Credentials, Options() with { Candidates = [] }, 1));
        Assert.Throws<ArgumentException>(() => SdpAnswerBuilder.Build(offer, Credentials,
            Options() with { Candidates = [new IPEndPoint(IPAddress.Any, 5)] }, 1));
        Assert.Throws<ArgumentException>(() => SdpAnswerBuilder.Build(offer, Credentials, Options() with { CertificateSha256 = new byte[20] }, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SdpAnswerBuilder.Build(offer, Credentials, Options() with { MaxMessageSize = 65536 }, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SdpAnswerBuilder.Build(offer, Credentials, Options() with { SctpPort = 0 }, 1));
    }
}
