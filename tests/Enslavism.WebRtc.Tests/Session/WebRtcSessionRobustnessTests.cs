using System.Net;
using Enslavism.WebRtc.DataChannels;
using Enslavism.WebRtc.Session;

namespace Enslavism.WebRtc.Tests.Session;

public sealed class WebRtcSessionRobustnessTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public void MutatedAndRandomDatagrams_IntoLiveSession_NeverThrowNorBreakIt()
    {
        var net = new SessionNetwork(21);
        var captured = new List<byte[]>();
        net.Filter = (toAnswerer, data) =>
        {
            if (toAnswerer && captured.Count < 200)
            {
                captured.Add(data);
            }

            return true;
        };
        net.RunUntil(() => net.BothConnected, Limit);
        var channel = net.Offerer.OpenChannel(net.Now, new DataChannelOptions { Label = "c" }, out _)!;
        for (var i = 0; i < 20; i++)
        {
            net.Offerer.Send(net.Now, channel, "warm" + i);
        }

        net.Flush();
        net.RunUntil(() => net.AnswererEvents.OfType<ChannelMessage>().Count() == 20, Limit);
        net.Filter = null;

        var random = new Random(21);
        var stranger = new IPEndPoint(IPAddress.Parse("10.9.9.9"), 1234);
        for (var i = 0; i < 3000; i++)
        {
            byte[] datagram;
            if (i % 2 == 0)
            {
                datagram = (byte[])captured[random.Next(captured.Count)].Clone();
                var flips = 1 + random.Next(4);
                for (var f = 0; f < flips && datagram.Length > 1; f++)
                {
                    // Byte 0 stays: the fake DTLS engine's close record is unauthenticated (real DTLS would drop forgeries).
                    datagram[1 + random.Next(datagram.Length - 1)] ^= (byte)(1 << random.Next(8));
                }

                if (random.Next(4) == 0)
                {
                    datagram = datagram[..random.Next(1, datagram.Length + 1)];
                }
            }
            else
            {
                datagram = new byte[random.Next(0, 1500)];
                random.NextBytes(datagram);
                if (datagram.Length > 0 && datagram[0] == 21)
                {
                    datagram[0] = 23;
                }
            }

            net.Answerer.HandleDatagram(net.Now, i % 3 == 0 ? stranger : SessionNetwork.OffererAddress, datagram);
            net.Offerer.HandleDatagram(net.Now, SessionNetwork.AnswererAddress, datagram);
            if (i % 100 == 0)
            {
                net.Flush();
                net.RunFor(TimeSpan.FromMilliseconds(50));
            }
        }

        net.Flush();
        Assert.Equal(WebRtcSessionState.Connected, net.Answerer.State);
        Assert.Equal(WebRtcSessionState.Connected, net.Offerer.State);
        Assert.True(net.Answerer.Stats.DroppedUncheckedDtls + net.Answerer.Stats.DroppedUnknownKind > 0);
        net.Offerer.Send(net.Now, channel, "still alive");
        net.Flush();
        net.RunUntil(() => net.AnswererEvents.OfType<ChannelMessage>().Any(m => m.Text == "still alive"), Limit);
    }

    [Fact]
    public void DtlsFromUncheckedAddress_IsDroppedAndCounted()
    {
        var net = new SessionNetwork(22);
        net.Answerer.HandleDatagram(net.Now, new IPEndPoint(IPAddress.Loopback, 9), [22, (byte)'F', 1, 2, 3]);
        Assert.Equal(1, net.Answerer.Stats.DroppedUncheckedDtls);
        net.Answerer.HandleDatagram(net.Now, new IPEndPoint(IPAddress.Loopback, 9), [0x80, 1, 2]);
        Assert.Equal(1, net.Answerer.Stats.DroppedUnknownKind);
        net.RunUntil(() => net.BothConnected, Limit);
    }

    [Fact]
    public void NoChecksEver_AnswererClosesWithIceConnectTimeout()
    {
        var net = new SessionNetwork(23) { Filter = (_, _) => false };
        net.RunUntil(() => net.Answerer.State == WebRtcSessionState.Closed && net.Offerer.State == WebRtcSessionState.Closed, TimeSpan.FromSeconds(20));
        Assert.Equal(SessionCloseReason.IceConnectTimeout, net.Answerer.CloseInfo!.Reason);
        Assert.Equal(SessionCloseReason.IceConnectTimeout, net.Offerer.CloseInfo!.Reason);
    }

    [Fact]
    public void ChannelLimit_IsEnforcedWithTypedError()
    {
        var net = new SessionNetwork(24, new WebRtcSessionOptions { MaxChannels = 2 });
        net.RunUntil(() => net.BothConnected, Limit);
        Assert.NotNull(net.Offerer.OpenChannel(net.Now, new DataChannelOptions(), out _));
        Assert.NotNull(net.Offerer.OpenChannel(net.Now, new DataChannelOptions(), out _));
        Assert.Null(net.Offerer.OpenChannel(net.Now, new DataChannelOptions(), out var error));
        Assert.Equal(SessionErrorReason.TooManyChannels, error!.Reason);
    }

    [Fact]
    public void BadOffer_IsRejectedWithTypedSdpError()
    {
        var net = new SessionNetwork(25);
        Assert.False(net.AnswererFactory.TryAccept(net.Now, "v=0\r\nbogus", out _, out _, out var error));
        Assert.Equal(SessionErrorReason.InvalidSdp, error.Reason);
        Assert.NotNull(error.Sdp);
        var offer = net.OffererFactory.CreateOffer();
        Assert.False(offer.TryApplyAnswer(net.Now, "v=0\r\n", out _, out error));
        Assert.Equal(SessionErrorReason.InvalidSdp, error.Reason);
        Assert.False(offer.TryApplyAnswer(net.Now, "v=0\r\n", out _, out error));
        Assert.Equal(SessionErrorReason.OfferAlreadyUsed, error.Reason);
    }

    [Fact]
    public void SessionLimit_IsEnforced()
    {
        var factory = new WebRtcSessionFactory(new WebRtcSessionFactoryOptions
        {
            Identity = Dtls.DtlsTestSupport.ServerIdentity,
            AnnouncedCandidates = [SessionNetwork.AnswererAddress],
            Random = new Enslavism.WebRtc.Core.SeededRandomSource(26),
            MaxSessions = 1,
        });
        var client = new WebRtcSessionFactory(new WebRtcSessionFactoryOptions { Identity = Dtls.DtlsTestSupport.ClientIdentity, Random = new Enslavism.WebRtc.Core.SeededRandomSource(27) });
        Assert.True(factory.TryAccept(TimeSpan.Zero, client.CreateOffer().Sdp, out _, out var first, out _));
        Assert.False(factory.TryAccept(TimeSpan.Zero, client.CreateOffer().Sdp, out _, out _, out var error));
        Assert.Equal(SessionErrorReason.TooManySessions, error.Reason);
        first.Abort(TimeSpan.Zero, "done");
        Assert.True(factory.TryAccept(TimeSpan.Zero, client.CreateOffer().Sdp, out _, out _, out _));
    }
}
