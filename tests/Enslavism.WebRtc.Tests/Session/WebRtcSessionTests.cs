using Enslavism.WebRtc.DataChannels;
using Enslavism.WebRtc.Session;

namespace Enslavism.WebRtc.Tests.Session;

public sealed class WebRtcSessionTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public void OffererAndAnswerer_Connect()
    {
        var net = new SessionNetwork(1);
        net.RunUntil(() => net.BothConnected, Limit);
        Assert.Contains(net.OffererEvents, e => e is SessionConnected);
        var connected = Assert.Single(net.AnswererEvents.OfType<SessionConnected>());
        Assert.Equal(SessionNetwork.OffererAddress, connected.Remote);
        Assert.Equal(Dtls.DtlsTestSupport.ClientIdentity.Fingerprint, connected.PeerFingerprint);
        Assert.True(net.Answerer.IsAnswerer);
        Assert.Equal(Enslavism.WebRtc.Dtls.DtlsRole.Server, net.Answerer.DtlsRole);
        Assert.Equal(Enslavism.WebRtc.Dtls.DtlsRole.Client, net.Offerer.DtlsRole);
    }

    [Fact]
    public void ChannelOpenedByOfferer_EchoesTextBinaryAndEmpty()
    {
        var net = new SessionNetwork(2);
        net.RunUntil(() => net.BothConnected, Limit);
        var channel = net.Offerer.OpenChannel(net.Now, new DataChannelOptions { Label = "game", Protocol = "p1" }, out var error);
        Assert.NotNull(channel);
        Assert.Null(error);
        Assert.Equal(0, channel.Id % 2);
        net.OnEvent = (session, e) =>
        {
            if (session == net.Answerer && e is ChannelMessage m)
            {
                _ = m.IsText ? session.Send(net.Now, m.Channel, "echo:" + m.Text) : session.Send(net.Now, m.Channel, m.Data);
            }
        };
        net.RunUntil(() => net.AnswererEvents.OfType<ChannelOpened>().Any(), Limit);
        var remote = net.AnswererEvents.OfType<ChannelOpened>().Single();
        Assert.True(remote.OpenedByPeer);
        Assert.Equal("game", remote.Channel.Label);
        Assert.Equal("p1", remote.Channel.Protocol);
        Assert.Equal(channel.Id, remote.Channel.Id);

        Assert.Equal(DataChannelSendResult.Queued, net.Offerer.Send(net.Now, channel, "hello"));
        Assert.Equal(DataChannelSendResult.Queued, net.Offerer.Send(net.Now, channel, new byte[] { 1, 2, 3 }));
        Assert.Equal(DataChannelSendResult.Queued, net.Offerer.Send(net.Now, channel, ""));
        Assert.Equal(DataChannelSendResult.Queued, net.Offerer.Send(net.Now, channel, ReadOnlySpan<byte>.Empty));
        net.Flush();
        net.RunUntil(() => net.OffererEvents.OfType<ChannelMessage>().Count() == 4, Limit);
        var echoes = net.OffererEvents.OfType<ChannelMessage>().ToList();
        Assert.Equal("echo:hello", echoes[0].Text);
        Assert.True(echoes[0].IsText);
        Assert.Equal(new byte[] { 1, 2, 3 }, echoes[1].Data);
        Assert.False(echoes[1].IsText);
        Assert.Equal("echo:", echoes[2].Text);
        Assert.True(echoes[3].Data.Length == 0 && !echoes[3].IsText);
    }

    [Fact]
    public void SendOwned_DeliversTextBinaryAndEmptyLikeSend()
    {
        var net = new SessionNetwork(21);
        net.RunUntil(() => net.BothConnected, Limit);
        var channel = net.Offerer.OpenChannel(net.Now, new DataChannelOptions { Label = "owned" }, out _);
        Assert.NotNull(channel);
        net.RunUntil(() => net.AnswererEvents.OfType<ChannelOpened>().Any(), Limit);
        var big = new byte[5000];
        new Random(3).NextBytes(big);
        var expected = big.ToArray();

        Assert.Equal(DataChannelSendResult.Queued, net.Offerer.SendOwned(net.Now, channel, "héllo"u8.ToArray(), isText: true));
        Assert.Equal(DataChannelSendResult.Queued, net.Offerer.SendOwned(net.Now, channel, big, isText: false));
        Assert.Equal(DataChannelSendResult.Queued, net.Offerer.SendOwned(net.Now, channel, [], isText: true));
        Assert.Equal(DataChannelSendResult.Queued, net.Offerer.SendOwned(net.Now, channel, [], isText: false));
        net.Flush();
        net.RunUntil(() => net.AnswererEvents.OfType<ChannelMessage>().Count() == 4, Limit);
        var messages = net.AnswererEvents.OfType<ChannelMessage>().ToList();
        Assert.True(messages[0].IsText);
        Assert.Equal("héllo", messages[0].Text);
        Assert.False(messages[1].IsText);
        Assert.Equal(expected, messages[1].Data);
        Assert.True(messages[2].IsText && messages[2].Data.Length == 0);
        Assert.True(!messages[3].IsText && messages[3].Data.Length == 0);
    }

    [Fact]
    public void SendOwned_BeforeConnected_ReturnsNotOpen()
    {
        var net = new SessionNetwork(22);
        var channel = net.Offerer.OpenChannel(net.Now, new DataChannelOptions { Label = "early" }, out _);
        Assert.NotNull(channel);
        Assert.Equal(DataChannelSendResult.NotOpen, net.Offerer.SendOwned(net.Now, channel, [1, 2], isText: false));
    }

    public static TheoryData<bool, int, int> ChannelKinds => new()
    {
        { true, -1, -1 },
        { false, -1, -1 },
        { true, 3, -1 },
        { false, 0, -1 },
        { true, -1, 500 },
        { false, -1, 200 },
    };

    [Theory]
    [MemberData(nameof(ChannelKinds))]
    public void EveryReliabilityAndOrdering_DeliversWithoutLoss(bool ordered, int maxRetransmits, int lifetimeMs)
    {
        var net = new SessionNetwork(3);
        net.RunUntil(() => net.BothConnected, Limit);
        var reliability = maxRetransmits >= 0 ? Reliability.MaxRetransmits((ushort)maxRetransmits)
            : lifetimeMs >= 0 ? Reliability.MaxPacketLifetime((ushort)lifetimeMs) : Reliability.Reliable;
        // Opened by the answerer: odd id, DCEP from the DTLS server side.
        var channel = net.Answerer.OpenChannel(net.Now, new DataChannelOptions { Label = "k", Ordered = ordered, Reliability = reliability }, out _);
        Assert.NotNull(channel);
        Assert.Equal(1, channel.Id % 2);
        net.Flush();
        net.RunUntil(() => net.OffererEvents.OfType<ChannelOpened>().Any(), Limit);
        var peer = net.OffererEvents.OfType<ChannelOpened>().Single().Channel;
        Assert.Equal(ordered, peer.Ordered);
        Assert.Equal(reliability, peer.Reliability);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(DataChannelSendResult.Queued, net.Answerer.Send(net.Now, channel, "m" + i));
        }

        net.Flush();
        net.RunUntil(() => net.OffererEvents.OfType<ChannelMessage>().Count() == 100, Limit);
        var texts = net.OffererEvents.OfType<ChannelMessage>().Select(m => m.Text).ToList();
        var expected = Enumerable.Range(0, 100).Select(i => "m" + i).ToList();
        if (ordered)
        {
            Assert.Equal(expected, texts);
        }
        else
        {
            Assert.Equal(expected.Order(), texts.Order());
        }
    }

    [Fact]
    public void OneMegabyteReliable_UnderLoss_ArrivesByteExact()
    {
        var net = new SessionNetwork(4);
        net.RunUntil(() => net.BothConnected, Limit);
        net.Loss = 0.05;
        var channel = net.Offerer.OpenChannel(net.Now, new DataChannelOptions { Label = "bulk" }, out _)!;
        var data = new byte[1 << 20];
        new Random(4).NextBytes(data);
        const int chunk = 16 * 1024;
        for (var offset = 0; offset < data.Length; offset += chunk)
        {
            Assert.Equal(DataChannelSendResult.Queued, net.Offerer.Send(net.Now, channel, data.AsSpan(offset, chunk)));
        }

        net.Flush();
        net.RunUntil(() => net.AnswererEvents.OfType<ChannelMessage>().Sum(m => m.Data.Length) >= data.Length, TimeSpan.FromMinutes(10));
        var received = net.AnswererEvents.OfType<ChannelMessage>().SelectMany(m => m.Data).ToArray();
        Assert.Equal(data, received);
    }

    [Fact]
    public void UnreliableZeroRetransmits_UnderLoss_LosesSomeButNeverDuplicatesOrBlocks()
    {
        var net = new SessionNetwork(5);
        net.RunUntil(() => net.BothConnected, Limit);
        var channel = net.Offerer.OpenChannel(net.Now, new DataChannelOptions { Label = "state", Ordered = false, Reliability = Reliability.MaxRetransmits(0) }, out _)!;
        net.Flush();
        net.RunUntil(() => net.AnswererEvents.OfType<ChannelOpened>().Any(), Limit);
        net.Loss = 0.2;
        for (var i = 0; i < 200; i++)
        {
            net.Offerer.Send(net.Now, channel, "s" + i);
            net.Flush();
            net.RunFor(TimeSpan.FromMilliseconds(16));
        }

        net.Loss = 0;
        net.RunFor(TimeSpan.FromSeconds(5));
        var got = net.AnswererEvents.OfType<ChannelMessage>().Select(m => m.Text).ToList();
        Assert.InRange(got.Count, 100, 199);
        Assert.Equal(got.Count, got.Distinct().Count());
        Assert.Equal(WebRtcSessionState.Connected, net.Offerer.State);
        // The channel still works after the losses.
        net.Offerer.Send(net.Now, channel, "after");
        net.Flush();
        net.RunUntil(() => net.AnswererEvents.OfType<ChannelMessage>().Any(m => m.Text == "after"), Limit);
    }

    [Fact]
    public void CloseChannel_ResetsOnlyThatStream()
    {
        var net = new SessionNetwork(6);
        net.RunUntil(() => net.BothConnected, Limit);
        var a = net.Offerer.OpenChannel(net.Now, new DataChannelOptions { Label = "a" }, out _)!;
        var b = net.Offerer.OpenChannel(net.Now, new DataChannelOptions { Label = "b" }, out _)!;
        net.Flush();
        net.RunUntil(() => net.AnswererEvents.OfType<ChannelOpened>().Count() == 2, Limit);
        net.Offerer.CloseChannel(net.Now, a);
        net.Flush();
        net.RunUntil(() => net.AnswererEvents.OfType<ChannelClosed>().Any() && net.OffererEvents.OfType<ChannelClosed>().Any(), Limit);
        Assert.Equal("a", net.AnswererEvents.OfType<ChannelClosed>().Single().Channel.Label);
        Assert.Equal(DataChannelState.Closed, a.State);
        Assert.Equal(DataChannelState.Open, b.State);
        Assert.Equal(DataChannelSendResult.NotOpen, net.Offerer.Send(net.Now, a, "x"));
        net.Offerer.Send(net.Now, b, "still");
        net.Flush();
        net.RunUntil(() => net.AnswererEvents.OfType<ChannelMessage>().Any(m => m.Text == "still" && m.Channel.Label == "b"), Limit);
        Assert.Equal(WebRtcSessionState.Connected, net.Answerer.State);
    }

    [Fact]
    public void ConsentChecksStop_AnswererClosesWithConsentLost()
    {
        var net = new SessionNetwork(7);
        net.RunUntil(() => net.BothConnected, Limit);
        // Drop every STUN datagram both ways: the offerer's consent checks never reach the answerer.
        net.Filter = (_, data) => data[0] > 3;
        net.RunUntil(() => net.Answerer.State == WebRtcSessionState.Closed, TimeSpan.FromSeconds(40));
        Assert.Equal(SessionCloseReason.ConsentLost, net.Answerer.CloseInfo!.Reason);
        Assert.IsType<SessionClosed>(net.AnswererEvents[^1]);
        net.RunUntil(() => net.Offerer.State == WebRtcSessionState.Closed, TimeSpan.FromSeconds(40));
        Assert.True(net.Offerer.CloseInfo!.Reason is SessionCloseReason.ConsentLost or SessionCloseReason.SctpAbort or SessionCloseReason.DtlsClosedByPeer);
        Assert.Equal(0, net.AnswererFactory.LiveSessions);
    }

    [Fact]
    public void ConsentHeld_SessionStaysUpForMinutes()
    {
        var net = new SessionNetwork(8);
        net.RunUntil(() => net.BothConnected, Limit);
        net.RunFor(TimeSpan.FromMinutes(3));
        Assert.Equal(WebRtcSessionState.Connected, net.Answerer.State);
        Assert.Equal(WebRtcSessionState.Connected, net.Offerer.State);
    }

    [Fact]
    public void GracefulClose_BothSidesClose()
    {
        var net = new SessionNetwork(9);
        net.RunUntil(() => net.BothConnected, Limit);
        var channel = net.Offerer.OpenChannel(net.Now, new DataChannelOptions { Label = "x" }, out _)!;
        net.Flush();
        net.RunUntil(() => net.AnswererEvents.OfType<ChannelOpened>().Any(), Limit);
        net.Offerer.Send(net.Now, channel, "last words");
        net.Offerer.Close(net.Now);
        net.Flush();
        net.RunUntil(() => net.Offerer.State == WebRtcSessionState.Closed && net.Answerer.State == WebRtcSessionState.Closed, Limit);
        Assert.Equal(SessionCloseReason.LocalClose, net.Offerer.CloseInfo!.Reason);
        Assert.True(net.Answerer.CloseInfo!.Reason is SessionCloseReason.Shutdown or SessionCloseReason.DtlsClosedByPeer);
        Assert.Contains(net.AnswererEvents, e => e is ChannelMessage { Text: "last words" });
        Assert.Contains(net.AnswererEvents, e => e is ChannelClosed);
        Assert.Equal(0, net.OffererFactory.LiveSessions);
    }

    [Fact]
    public void Abort_PeerSeesClose()
    {
        var net = new SessionNetwork(10);
        net.RunUntil(() => net.BothConnected, Limit);
        net.Answerer.Abort(net.Now, "kick");
        net.Flush();
        net.RunUntil(() => net.Offerer.State == WebRtcSessionState.Closed, Limit);
        Assert.Equal(SessionCloseReason.LocalClose, net.Answerer.CloseInfo!.Reason);
        Assert.True(net.Offerer.CloseInfo!.Reason is SessionCloseReason.SctpAbort or SessionCloseReason.DtlsClosedByPeer);
    }

    [Fact]
    public void WrongFingerprintInOffer_SessionFailsWithoutConnecting()
    {
        // The offer announces another certificate than the one the offerer's DTLS presents (a MITM's view).
        var other = Dtls.DtlsTestSupport.OtherIdentity.Fingerprint.ToSdpValue();
        var net = new SessionNetwork(12, tamperOffer: sdp => System.Text.RegularExpressions.Regex.Replace(sdp, "a=fingerprint:[^\r\n]*", "a=fingerprint:" + other));
        net.RunUntil(() => net.Answerer.State == WebRtcSessionState.Closed, Limit);
        Assert.Equal(SessionCloseReason.DtlsFailed, net.Answerer.CloseInfo!.Reason);
        Assert.Equal(Enslavism.WebRtc.Dtls.DtlsFailureReason.FingerprintMismatch, net.Answerer.CloseInfo.DtlsFailure);
        Assert.DoesNotContain(net.AnswererEvents, e => e is SessionConnected);
        Assert.DoesNotContain(net.OffererEvents, e => e is SessionConnected);
    }

    [Fact]
    public void ChannelOpenedBeforeConnect_OpensOnceSctpIsUp()
    {
        var net = new SessionNetwork(13);
        var early = net.Offerer.OpenChannel(net.Now, new DataChannelOptions { Label = "early" }, out var error);
        Assert.NotNull(early);
        Assert.Null(error);
        Assert.Equal(DataChannelSendResult.NotOpen, net.Offerer.Send(net.Now, early, "too soon"));
        net.RunUntil(() => net.AnswererEvents.OfType<ChannelOpened>().Any(), Limit);
        Assert.Equal("early", net.AnswererEvents.OfType<ChannelOpened>().Single().Channel.Label);
        Assert.Contains(net.OffererEvents, e => e is ChannelOpened { OpenedByPeer: false });
    }

    [Fact]
    public void MessageAboveRemoteMaxMessageSize_IsRefused()
    {
        var net = new SessionNetwork(14);
        net.RunUntil(() => net.BothConnected, Limit);
        var channel = net.Offerer.OpenChannel(net.Now, new DataChannelOptions { Label = "big" }, out _)!;
        net.Flush();
        Assert.Equal(262144, net.Offerer.RemoteMaxMessageSize);
        Assert.Equal(DataChannelSendResult.MessageTooLarge, net.Offerer.Send(net.Now, channel, new byte[262145]));
        Assert.Equal(DataChannelSendResult.Queued, net.Offerer.Send(net.Now, channel, new byte[262144]));
        net.Flush();
        net.RunUntil(() => net.AnswererEvents.OfType<ChannelMessage>().Any(m => m.Data.Length == 262144), Limit);
    }
}
