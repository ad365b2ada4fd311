using Enslavism.WebRtc.Core;
using Enslavism.WebRtc.DataChannels;
using Enslavism.WebRtc.Session;

namespace Enslavism.WebRtc.Tests.Session;

/// <summary>
/// <see cref="WebRtcSessionOptions.ReceiveBatchPackets"/>: a backlog of datagrams fed between two drains is answered
/// with one SACK per batch of packets instead of one per SackEveryNPackets packets, and everything is still delivered in order.
/// </summary>
public sealed class ReceiveBatchTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(1000)]
    public void BacklogFedWithoutDrains_AcknowledgedPerBatch_AllDelivered(int batch)
    {
        // Max.Burst and the delay cap are off so the whole window leaves in one burst: the backlog under test.
        var sctp = WebRtcSessionOptions.Default.Sctp with { MaxBurst = 0, MaxQueuedBytes = 0 };
        var net = new SessionNetwork(41, WebRtcSessionOptions.Default with { ReceiveBatchPackets = batch, Sctp = sctp });
        net.RunUntil(() => net.BothConnected, Limit);
        var channel = net.Offerer.OpenChannel(net.Now, new DataChannelOptions { Label = "bulk" }, out _);
        Assert.NotNull(channel);
        net.RunUntil(() => net.AnswererEvents.OfType<ChannelOpened>().Any(), Limit);

        // Grow the offerer's congestion window on the lossless virtual link so a large burst can be in flight.
        var warm = new byte[60_000];
        for (var i = 0; i < 40; i++)
        {
            Assert.Equal(DataChannelSendResult.Queued, net.Offerer.Send(net.Now, channel, warm));
        }

        net.RunUntil(() => net.AnswererEvents.OfType<ChannelMessage>().Count() == 40 && net.Offerer.Sctp.FlightSize == 0, Limit);

        var message = new byte[60_000];
        new Random(5).NextBytes(message);
        Assert.Equal(DataChannelSendResult.Queued, net.Offerer.Send(net.Now, channel, message));
        var burst = new List<Transmit>();
        while (net.Offerer.TryPollTransmit(out var transmit))
        {
            burst.Add(transmit);
        }

        Assert.True(burst.Count >= 10, $"only {burst.Count} packets in flight, cwnd {net.Offerer.Sctp.CongestionWindow} ssthresh {net.Offerer.Sctp.SlowStartThreshold} rwnd {net.Offerer.Sctp.PeerReceiveWindow}");
        foreach (var transmit in burst)
        {
            net.Answerer.HandleDatagram(net.Now, SessionNetwork.OffererAddress, transmit.Payload.Span);
        }

        var replies = 0;
        while (net.Answerer.TryPollTransmit(out _))
        {
            replies++;
        }

        if (batch == 1)
        {
            // Without batching the SACK policy alone decides: one SACK per SackEveryNPackets packets.
            Assert.InRange(replies, (burst.Count / sctp.SackEveryNPackets) - 1, (burst.Count / sctp.SackEveryNPackets) + 1);
        }
        else
        {
            Assert.InRange(replies, 1, (burst.Count / Math.Min(batch, burst.Count)) + 1);
        }

        // The replies were dropped on purpose: retransmission recovers and the message arrives intact.
        net.RunUntil(() => net.AnswererEvents.OfType<ChannelMessage>().Count() == 41, Limit);
        Assert.Equal(message, net.AnswererEvents.OfType<ChannelMessage>().Last().Data);
    }

    [Fact]
    public void ReceiveBatchPacketsBelowOne_Rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => (WebRtcSessionOptions.Default with { ReceiveBatchPackets = 0 }).Validate());
}
