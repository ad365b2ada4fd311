using Enslavism.WebRtc.DataChannels;
using Enslavism.WebRtc.Session;

namespace Enslavism.WebRtc.Tests.Session;

/// <summary>Full sessions with the real BouncyCastle DTLS engine (handshake on worker tasks, bounded by cancellation).</summary>
public sealed class WebRtcSessionBcDtlsTests
{
    [Fact]
    public async Task RealDtls_ConnectsAndEchoes()
    {
        using var cts = new CancellationTokenSource(Dtls.DtlsTestSupport.WaitLimit);
        var net = new SessionNetwork(31, fakeDtls: false);
        net.RunThreaded(() => net.BothConnected, cts.Token);
        Assert.Equal(Dtls.DtlsTestSupport.ClientIdentity.Fingerprint, net.Answerer.PeerFingerprint);
        Assert.Equal(Dtls.DtlsTestSupport.ServerIdentity.Fingerprint, net.Offerer.PeerFingerprint);
        var channel = net.Offerer.OpenChannel(net.Now, new DataChannelOptions { Label = "bc" }, out _)!;
        net.Offerer.Send(net.Now, channel, "over real DTLS");
        net.Flush();
        net.RunThreaded(() => net.AnswererEvents.OfType<ChannelMessage>().Any(), cts.Token);
        Assert.Equal("over real DTLS", net.AnswererEvents.OfType<ChannelMessage>().Single().Text);
        net.Offerer.Close(net.Now);
        net.Flush();
        net.RunThreaded(() => net.Answerer.State == WebRtcSessionState.Closed, cts.Token);
        await Task.WhenAll(net.Workers).WaitAsync(Dtls.DtlsTestSupport.WaitLimit);
    }

    [Fact]
    public async Task RealDtls_WrongFingerprintInOffer_Fails()
    {
        using var cts = new CancellationTokenSource(Dtls.DtlsTestSupport.WaitLimit);
        var other = Dtls.DtlsTestSupport.OtherIdentity.Fingerprint.ToSdpValue();
        var net = new SessionNetwork(32, fakeDtls: false,
            tamperOffer: sdp => System.Text.RegularExpressions.Regex.Replace(sdp, "a=fingerprint:[^\\r\\n]*", "a=fingerprint:" + other));
        net.RunThreaded(() => net.Answerer.State == WebRtcSessionState.Closed, cts.Token);
        Assert.Equal(SessionCloseReason.DtlsFailed, net.Answerer.CloseInfo!.Reason);
        Assert.DoesNotContain(net.AnswererEvents, e => e is SessionConnected);
        await Task.WhenAll(net.Workers).WaitAsync(Dtls.DtlsTestSupport.WaitLimit);
    }

    [Fact]
    public async Task RealDtls_ForgedReplayedAndTruncatedRecords_AreDroppedAndSessionCarriesOn()
    {
        // Anyone who can spoof the ICE-checked address could otherwise end the session with one datagram.
        using var cts = new CancellationTokenSource(Dtls.DtlsTestSupport.WaitLimit);
        var net = new SessionNetwork(33, fakeDtls: false);
        var applicationRecords = new List<byte[]>();
        net.Filter = (toAnswerer, data) =>
        {
            if (toAnswerer && data.Length > 13 && data[0] == 23)
            {
                applicationRecords.Add(data);
            }

            return true;
        };
        net.RunThreaded(() => net.BothConnected, cts.Token);
        var answererDtls = net.RealEngines.Single(e => e.Role == Enslavism.WebRtc.Dtls.DtlsRole.Server);
        var channel = net.Offerer.OpenChannel(net.Now, new DataChannelOptions { Label = "attack" }, out _)!;
        net.Offerer.Send(net.Now, channel, "before");
        net.Flush();
        net.RunThreaded(() => net.AnswererEvents.OfType<ChannelMessage>().Any(), cts.Token);
        net.Filter = null;
        Assert.NotEmpty(applicationRecords);

        var random = new Random(33);
        var genuine = applicationRecords[^1];
        var forgedSequence = (byte[])genuine.Clone();
        forgedSequence[10] ^= 0x55; // fresh sequence number: must fail authentication, not count as a replay
        var forgedTag = (byte[])genuine.Clone();
        forgedTag[5] = 0x7F; // far-future sequence number and a broken tag
        forgedTag[^1] ^= 1;
        var forged = new byte[80];
        random.NextBytes(forged);
        forged[0] = 23;
        forged[1] = 0xFE;
        forged[2] = 0xFD;
        forged[3] = 0;
        forged[4] = 1;
        forged[11] = 0;
        forged[12] = 67;
        foreach (var datagram in applicationRecords.Concat([forgedSequence, forgedTag, forged, genuine[..^3]]))
        {
            net.Inject(toAnswerer: true, SessionNetwork.OffererAddress, datagram);
        }

        net.Offerer.Send(net.Now, channel, "after");
        net.Flush();
        net.RunThreaded(() => net.AnswererEvents.OfType<ChannelMessage>().Count() >= 2, cts.Token);

        Assert.Equal(["before", "after"], net.AnswererEvents.OfType<ChannelMessage>().Select(m => m.Text));
        Assert.Equal(WebRtcSessionState.Connected, net.Answerer.State);
        Assert.Equal(3, answererDtls.AuthenticationFailures);
        Assert.Equal(applicationRecords.Count, answererDtls.ReplayedRecords);
        Assert.Equal(1, answererDtls.MalformedRecords);
        net.Offerer.Close(net.Now);
        net.Flush();
        net.RunThreaded(() => net.Answerer.State == WebRtcSessionState.Closed, cts.Token);
        await Task.WhenAll(net.Workers).WaitAsync(Dtls.DtlsTestSupport.WaitLimit);
    }
}
