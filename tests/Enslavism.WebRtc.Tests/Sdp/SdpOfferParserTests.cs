using Enslavism.WebRtc.Sdp;

namespace Enslavism.WebRtc.Tests.Sdp;

public class SdpOfferParserTests
{
    private const string Fp256 = "sha-256 C0:7D:D4:EE:E8:AD:A6:52:26:23:43:D2:BC:B7:30:C9:F5:CB:C8:87:8E:58:17:9B:AA:05:DF:DF:18:D2:99:D1";

    /// <summary>A minimal valid offer; <paramref name="session"/> and <paramref name="media"/> are spliced in.</summary>
    private static string Offer(string session = "", string media = "",
        string mline = "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
        string ice = "a=ice-ufrag:abcd\na=ice-pwd:0123456789012345678901\n", string fingerprint = "a=fingerprint:" + Fp256 + "\n",
        string setup = "a=setup:actpass\n") =>
        "v=0\no=- 1 2 IN IP4 127.0.0.1\ns=-\nt=0 0\na=group:BUNDLE 0\n" + session + mline + "\nc=IN IP4 0.0.0.0\n"
        + ice + fingerprint + setup + "a=mid:0\na=sctp-port:5000\n" + media;

    private static SdpError Fails(string sdp, SdpParserOptions? options = null)
    {
        Assert.False(SdpOfferParser.TryParse(sdp, options ?? SdpParserOptions.Default, out var offer, out var error));
        Assert.Null(offer);
        return error!;
    }

    private static SdpOffer Parses(string sdp)
    {
        Assert.True(SdpOfferParser.TryParse(sdp, out var offer, out var error), error?.ToString());
        return offer!;
    }

    [Fact]
    public void MinimalOffer_Parses()
    {
        var offer = Parses(Offer());
        Assert.Equal("abcd", offer.IceUfrag);
        Assert.Equal(SdpSetupRole.ActPass, offer.Setup);
        Assert.Null(offer.MaxMessageSize);
    }

    [Fact]
    public void MediaLevelWinsOverSessionLevel()
    {
        var offer = Parses(Offer(
            session: "a=ice-ufrag:sess\na=ice-pwd:SessionPassword0123456789\na=fingerprint:sha-1 00:11\na=setup:active\na=ice-options:ice2\n",
            media: "a=ice-options:trickle\n"));
        Assert.Equal("abcd", offer.IceUfrag);
        Assert.Equal("0123456789012345678901", offer.IcePwd);
        Assert.Equal(SdpSetupRole.ActPass, offer.Setup);
        Assert.Equal(["trickle"], offer.IceOptions);
        Assert.Single(offer.Fingerprints);
        Assert.True(offer.Fingerprints[0].IsSha256);
    }

    [Fact]
    public void SessionLevelUsedWhenMediaLacksIt()
    {
        var offer = Parses(Offer(session: "a=ice-ufrag:sess\na=ice-pwd:SessionPassword0123456789\na=setup:active\n",
            ice: string.Empty, setup: string.Empty));
        Assert.Equal("sess", offer.IceUfrag);
        Assert.Equal("SessionPassword0123456789", offer.IcePwd);
        Assert.Equal(SdpSetupRole.Active, offer.Setup);
    }

    [Fact]
    public void UnknownLinesAndAttributes_Tolerated()
    {
        var offer = Parses(Offer(session: "b=AS:30\nx=whatever\na=extmap-allow-mixed\na=foo\n",
            media: "a=sendrecv\na=unknown-thing:1 2 3\nb=TIAS:1\n\n\n"));
        Assert.Equal("abcd", offer.IceUfrag);
    }

    [Fact]
    public void MissingSetup_IsUnspecifiedAndAccepted()
    {
        Assert.Equal(SdpSetupRole.Unspecified, Parses(Offer(setup: string.Empty)).Setup);
    }

    [Fact]
    public void OtherFingerprints_ReportedAlongsideSha256()
    {
        var offer = Parses(Offer(fingerprint: "a=fingerprint:SHA-1 00:11:22\na=fingerprint:" + Fp256 + "\n"));
        Assert.Equal(["sha-1", "sha-256"], offer.Fingerprints.Select(f => f.Algorithm));
        Assert.Equal("sha-256", offer.Sha256Fingerprint.Algorithm);
    }

    [Fact]
    public void AudioThenApplication_DataIndexOneAndAllSectionsKept()
    {
        var sdp = "v=0\no=- 1 2 IN IP4 127.0.0.1\ns=-\nt=0 0\na=group:BUNDLE a d\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111 0\nc=IN IP4 0.0.0.0\na=mid:a\na=ice-ufrag:zzzz\n"
            + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\nc=IN IP4 0.0.0.0\na=mid:d\n"
            + "a=ice-ufrag:abcd\na=ice-pwd:0123456789012345678901\na=fingerprint:" + Fp256 + "\na=setup:actpass\n";
        var offer = Parses(sdp);
        Assert.Equal(1, offer.DataMediaIndex);
        Assert.Equal("d", offer.Mid);
        Assert.Equal("abcd", offer.IceUfrag);
        Assert.Equal(["a", "d"], offer.BundleMids);
        Assert.Equal(["111", "0"], offer.MediaSections[0].Formats);
    }

    [Fact]
    public void BundleOnlyPortZero_Accepted()
    {
        var offer = Parses(Offer(mline: "m=application 0 UDP/DTLS/SCTP webrtc-datachannel", media: "a=bundle-only\n"));
        Assert.True(offer.DataMedia.BundleOnly);
    }

    [Fact]
    public void LegacyDtlsSctp_SctpPortFromFormat()
    {
        var offer = Parses(Offer(mline: "m=application 9 DTLS/SCTP 5001", media: "a=sctpmap:5001 webrtc-datachannel 1024\n"));
        Assert.True(offer.IsLegacySctp);
        Assert.Equal(5001, offer.SctpPort);
    }

    [Fact]
    public void MaxMessageSizeZero_MeansUnlimited()
    {
        var offer = Parses(Offer(media: "a=max-message-size:0\n"));
        Assert.Equal(0, offer.MaxMessageSize);
        Assert.Equal(long.MaxValue, offer.EffectiveMaxMessageSize);
    }

    [Fact]
    public void MalformedCandidate_SkippedNotFatal()
    {
        var offer = Parses(Offer(media: "a=candidate:garbage\na=candidate:1 1 udp 100 host.local 9 typ host\na=candidate:1 1 udp x 1.2.3.4 9 typ host\n"));
        var candidate = Assert.Single(offer.Candidates);
        Assert.Equal("host.local", candidate.Address);
        Assert.Null(candidate.Endpoint);
    }

    [Fact]
    public void Candidate_RelatedAddressParsed()
    {
        var offer = Parses(Offer(media: "a=candidate:842163049 1 udp 1677729535 203.0.113.5 61000 typ srflx raddr 10.0.0.2 rport 50000 generation 0\n"));
        var c = Assert.Single(offer.Candidates);
        Assert.Equal("srflx", c.Type);
        Assert.Equal("10.0.0.2", c.RelatedAddress);
        Assert.Equal(50000, c.RelatedPort);
    }

    [Theory]
    [InlineData("passive")]
    [InlineData("holdconn")]
    [InlineData("sideways")]
    public void UnsupportedSetup_Rejected(string role)
    {
        Assert.Equal(SdpErrorReason.UnsupportedSetupRole, Fails(Offer(setup: $"a=setup:{role}\n")).Reason);
    }

    [Fact]
    public void NoDataMLine_Rejected()
    {
        var error = Fails(Offer(mline: "m=audio 9 UDP/TLS/RTP/SAVPF 111"));
        Assert.Equal(SdpErrorReason.NoDataChannelMedia, error.Reason);
        Assert.Equal(SdpErrorReason.NoDataChannelMedia, Fails(Offer(mline: "m=application 9 TCP/DTLS/SCTP webrtc-datachannel")).Reason);
        Assert.Equal(SdpErrorReason.NoDataChannelMedia, Fails(Offer(mline: "m=application 9 DTLS/SCTP 5000")).Reason); // no sctpmap
    }

    [Fact]
    public void PortZeroDataMLine_Rejected()
    {
        var error = Fails(Offer(mline: "m=application 0 UDP/DTLS/SCTP webrtc-datachannel"));
        Assert.Equal(SdpErrorReason.DataChannelRejected, error.Reason);
        Assert.Equal(6, error.Line);
    }

    [Fact]
    public void MissingUfrag_Rejected() =>
        Assert.Equal(SdpErrorReason.MissingIceUfrag, Fails(Offer(ice: "a=ice-pwd:0123456789012345678901\n")).Reason);

    [Fact]
    public void MissingPwd_Rejected() =>
        Assert.Equal(SdpErrorReason.MissingIcePwd, Fails(Offer(ice: "a=ice-ufrag:abcd\n")).Reason);

    [Fact]
    public void NonIceCharCredentials_Rejected() =>
        Assert.Equal(SdpErrorReason.InvalidIceCredentials, Fails(Offer(ice: "a=ice-ufrag:ab:d\na=ice-pwd:0123456789012345678901\n")).Reason);

    [Fact]
    public void OnlySha1Fingerprint_RejectedNamingWhatWasOffered()
    {
        var error = Fails(Offer(fingerprint: "a=fingerprint:sha-1 00:11:22\n"));
        Assert.Equal(SdpErrorReason.MissingSha256Fingerprint, error.Reason);
        Assert.Contains("sha-1", error.Message, StringComparison.Ordinal);
        Assert.Equal(SdpErrorReason.MissingSha256Fingerprint, Fails(Offer(fingerprint: string.Empty)).Reason);
    }

    [Theory]
    [InlineData("a=fingerprint:sha-256 C0:7D\n")]
    [InlineData("a=fingerprint:sha-256 ZZ:7D:D4:EE:E8:AD:A6:52:26:23:43:D2:BC:B7:30:C9:F5:CB:C8:87:8E:58:17:9B:AA:05:DF:DF:18:D2:99:D1\n")]
    [InlineData("a=fingerprint:sha-256\n")]
    public void MalformedFingerprint_Rejected(string line) =>
        Assert.Equal(SdpErrorReason.InvalidFingerprint, Fails(Offer(fingerprint: line)).Reason);

    [Fact]
    public void RemoteIceLite_Rejected() =>
        Assert.Equal(SdpErrorReason.RemoteIceLite, Fails(Offer(session: "a=ice-lite\n")).Reason);

    [Theory]
    [InlineData("0")]
    [InlineData("70000")]
    [InlineData("abc")]
    public void InvalidSctpPort_Rejected(string port) =>
        Assert.Equal(SdpErrorReason.InvalidSctpPort, Fails(Offer().Replace("a=sctp-port:5000", "a=sctp-port:" + port, StringComparison.Ordinal)).Reason);

    [Fact]
    public void InvalidMaxMessageSize_Rejected() =>
        Assert.Equal(SdpErrorReason.InvalidMaxMessageSize, Fails(Offer(media: "a=max-message-size:-5\n")).Reason);

    [Fact]
    public void Framing_Errors()
    {
        Assert.Equal(SdpErrorReason.MissingVersion, Fails(string.Empty).Reason);
        Assert.Equal(SdpErrorReason.MissingVersion, Fails("o=- 1 2 IN IP4 0.0.0.0\nv=0\n").Reason);
        Assert.Equal(SdpErrorReason.UnsupportedVersion, Fails("v=1\n").Reason);
        var malformed = Fails(Offer(media: "this is not sdp\n"));
        Assert.Equal(SdpErrorReason.MalformedLine, malformed.Reason);
        Assert.Equal(14, malformed.Line);
        Assert.Equal(SdpErrorReason.MalformedLine, Fails(Offer(mline: "m=application x UDP/DTLS/SCTP webrtc-datachannel")).Reason);
    }

    [Fact]
    public void Limits_Enforced()
    {
        var sdp = Offer(media: "a=candidate:1 1 udp 100 1.2.3.4 9 typ host\na=candidate:2 1 udp 100 1.2.3.5 9 typ host\n");
        Assert.Equal(SdpErrorReason.InputTooLarge, Fails(sdp, new SdpParserOptions { MaxInputChars = 100 }).Reason);
        Assert.Equal(SdpErrorReason.TooManyLines, Fails(sdp, new SdpParserOptions { MaxLines = 10 }).Reason);
        Assert.Equal(SdpErrorReason.LineTooLong, Fails(sdp, new SdpParserOptions { MaxLineLength = 60 }).Reason);
        Assert.Equal(SdpErrorReason.TooManyCandidates, Fails(sdp, new SdpParserOptions { MaxCandidates = 1 }).Reason);
        Assert.Equal(SdpErrorReason.TooManyMediaSections,
            Fails(sdp + "m=audio 0 RTP/AVP 0\n", new SdpParserOptions { MaxMediaSections = 1 }).Reason);
        Assert.Equal(SdpErrorReason.InputTooLarge, Fails(sdp + new string('a', 70_000)).Reason);
    }

    [Fact]
    public void Null_IsMissingVersion()
    {
        Assert.False(SdpOfferParser.TryParse(null, out _, out var error));
        Assert.Equal(SdpErrorReason.MissingVersion, error!.Reason);
    }
}
