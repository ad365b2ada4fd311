using System.Net;
using Enslavism.WebRtc.Ice;
using Enslavism.WebRtc.Sdp;

namespace Enslavism.WebRtc.Tests.Sdp;

public sealed class SdpOfferBuilderAndAnswerParserTests
{
    private static readonly IceCredentials Credentials = new("OfFr", "OffererPassword0123456789");
    private static readonly byte[] Digest = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];

    [Fact]
    public void Offer_GoldenText()
    {
        var sdp = SdpOfferBuilder.Build(Credentials, Digest, 42);
        Assert.Equal(
            "v=0\r\no=- 42 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\na=msid-semantic: WMS\r\n" +
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=ice-ufrag:OfFr\r\n" +
            "a=ice-pwd:OffererPassword0123456789\r\na=ice-options:trickle\r\na=fingerprint:sha-256 " + SdpFingerprint.FormatDigest(Digest) +
            "\r\na=setup:actpass\r\na=sctp-port:5000\r\na=max-message-size:262144\r\n", sdp);
    }

    [Fact]
    public void Offer_IsAcceptedByOurOfferParser_AndItsAnswerParses()
    {
        var sdp = SdpOfferBuilder.Build(Credentials, Digest, 42);
        Assert.True(SdpOfferParser.TryParse(sdp, out var offer, out var error), error?.ToString());
        Assert.Equal("OfFr", offer!.IceUfrag);
        Assert.Equal(SdpSetupRole.ActPass, offer.Setup);
        var local = new IceCredentials("AnSw", "AnswererPassword012345678");
        var answerText = SdpAnswerBuilder.Build(offer, local, new SdpAnswerOptions
        {
            Candidates = [new IPEndPoint(IPAddress.Loopback, 6000), new IPEndPoint(IPAddress.IPv6Loopback, 6000)],
            CertificateSha256 = Digest,
        }, 7);
        Assert.True(SdpAnswerParser.TryParse(answerText, out var answer, out error), error?.ToString());
        Assert.Equal("AnSw", answer!.IceUfrag);
        Assert.Equal(local.Password, answer.IcePwd);
        Assert.True(answer.IceLite);
        Assert.Equal(SdpSetupRole.Passive, answer.Setup);
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 6000), new IPEndPoint(IPAddress.IPv6Loopback, 6000)], answer.Candidates);
        Assert.Equal(5000, answer.SctpPort);
        Assert.Equal(262144, answer.EffectiveMaxMessageSize);
        Assert.Equal(Digest, answer.Fingerprints[0].Digest.ToArray());
    }

    [Theory]
    [InlineData("a=ice-ufrag:AnSw\r\n", SdpErrorReason.MissingIceUfrag)]
    [InlineData("a=ice-pwd:AnswererPassword012345678\r\n", SdpErrorReason.MissingIcePwd)]
    [InlineData("a=fingerprint:sha-256 ", SdpErrorReason.MissingSha256Fingerprint)]
    [InlineData("a=candidate:", SdpErrorReason.NoUsableCandidate)]
    [InlineData("m=application", SdpErrorReason.NoDataChannelMedia)]
    public void Answer_MissingPieces_TypedError(string removeLinesStartingWith, SdpErrorReason expected)
    {
        var answer = "v=0\r\ns=-\r\na=ice-lite\r\nm=application 6000 UDP/DTLS/SCTP webrtc-datachannel\r\na=ice-ufrag:AnSw\r\n" +
            "a=ice-pwd:AnswererPassword012345678\r\na=fingerprint:sha-256 " + SdpFingerprint.FormatDigest(Digest) +
            "\r\na=setup:passive\r\na=candidate:1 1 udp 1 127.0.0.1 6000 typ host\r\n";
        var text = string.Join("\r\n", answer.Split("\r\n").Where(l => !(l + "\r\n").StartsWith(removeLinesStartingWith, StringComparison.Ordinal)));
        Assert.False(SdpAnswerParser.TryParse(text, out _, out var error));
        Assert.Equal(expected, error!.Reason);
    }

    [Fact]
    public void Answer_RandomMutations_NeverThrow()
    {
        var baseText = "v=0\r\na=ice-lite\r\nm=application 6000 UDP/DTLS/SCTP webrtc-datachannel\r\na=ice-ufrag:AnSw\r\n" +
            "a=ice-pwd:AnswererPassword012345678\r\na=fingerprint:sha-256 " + SdpFingerprint.FormatDigest(Digest) +
            "\r\na=setup:passive\r\na=sctp-port:5000\r\na=max-message-size:99999999999999999999\r\na=candidate:1 1 udp 1 127.0.0.1 6000 typ host\r\n";
        var random = new Random(9);
        for (var i = 0; i < 5000; i++)
        {
            var chars = baseText.ToCharArray();
            for (var m = 0; m < 1 + random.Next(6); m++)
            {
                chars[random.Next(chars.Length)] = (char)random.Next(0, 128);
            }

            _ = SdpAnswerParser.TryParse(new string(chars, 0, random.Next(chars.Length + 1)), out _, out _);
        }
    }
}
