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
}
