using Enslavism.WebRtc.DataChannels;
using Enslavism.WebRtc.Session;

namespace Enslavism.WebRtc.Tests.Session;

public sealed class WebRtcSessionSctpStatsTests
{
    [Fact]
    public void SessionStats_LossyTransfer_ExposeTheAssociationsLossCounters()
    {
        var net = new SessionNetwork(41);
        net.RunUntil(() => net.BothConnected, TimeSpan.FromSeconds(30));
        Assert.Same(net.Offerer.Sctp.Stats, net.Offerer.Stats.Sctp);
        Assert.Same(net.Answerer.Sctp.Stats, net.Answerer.Stats.Sctp);
        net.Loss = 0.05;
        var channel = net.Offerer.OpenChannel(net.Now, new DataChannelOptions { Label = "bulk" }, out _)!;
        for (var i = 0; i < 32; i++)
        {
            Assert.Equal(DataChannelSendResult.Queued, net.Offerer.Send(net.Now, channel, new byte[8 * 1024]));
        }

        net.Flush();
        net.RunUntil(() => net.AnswererEvents.OfType<ChannelMessage>().Count() == 32, TimeSpan.FromMinutes(5));
        var sent = net.Offerer.Stats.Sctp;
        var received = net.Answerer.Stats.Sctp;
        Assert.True(sent.DataChunksRetransmitted > 0, "5 % loss on 256 KiB must cost retransmissions");
        Assert.True(sent.DataBytesRetransmitted > 0);
        Assert.True(received.SacksSent > 0 && sent.SacksReceived > 0);
        Assert.True(sent.SacksReceived <= received.SacksSent, "loss only removes SACKs");
        Assert.True(received.DataChunksReceivedOutOfOrder > 0, "lost DATA leaves holes the receiver sees");
    }
}
