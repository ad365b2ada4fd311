using Enslavism.WebRtc.Sctp;

namespace Enslavism.WebRtc.Tests.Sctp;

/// <summary>HEARTBEAT sending of an idle association (RFC 9260 §8.3), in virtual time.</summary>
public sealed class SctpHeartbeatTests
{
    private static bool Has<T>(byte[] bytes)
        where T : SctpChunk => SctpPacket.TryParse(bytes, out var p, out _) && p!.Chunks.Any(c => c is T);

    [Fact]
    public void Heartbeat_IdleAssociation_SentAfterIntervalAndAckMeasuresRtt()
    {
        var options = new SctpOptions { HeartbeatInterval = TimeSpan.FromSeconds(30) };
        var pair = new SctpPair(501, options, options);
        pair.Establish();
        var established = pair.Now;
        Assert.Null(pair.A.SmoothedRtt);
        var heartbeatsFromA = new List<TimeSpan>();
        pair.OnTransmit = (fromA, bytes) =>
        {
            if (fromA && Has<HeartbeatChunk>(bytes))
            {
                heartbeatsFromA.Add(pair.Now);
            }
        };

        pair.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(heartbeatsFromA);
        pair.Advance(TimeSpan.FromSeconds(3));

        // HB.interval + RTO ± RTO/2 after establishment, RTO still the initial 1 s.
        var first = Assert.Single(heartbeatsFromA);
        Assert.InRange(first - established, TimeSpan.FromSeconds(30.5), TimeSpan.FromSeconds(31.5));
        Assert.Equal(1, pair.A.Stats.HeartbeatsSent);
        Assert.Equal(1, pair.A.Stats.HeartbeatAcksReceived);
        Assert.Equal(1, pair.B.Stats.HeartbeatsReceived);

        // 20 ms each way and nothing else measured yet: SRTT is exactly the heartbeat's round trip.
        Assert.Equal(TimeSpan.FromMilliseconds(40), pair.A.SmoothedRtt);
        Assert.Equal(pair.A.Options.RtoMin, pair.A.RetransmissionTimeout);
        Assert.Equal(0, pair.A.Stats.HeartbeatsUnanswered);
    }

    [Fact]
    public void Heartbeat_LongIdle_RepeatsEveryIntervalAndStaysEstablished()
    {
        var pair = new SctpPair(502);
        pair.Establish();
        pair.Advance(TimeSpan.FromMinutes(5));

        // Every 30 s + RTO ± RTO/2 (RTO 1 s at first, 0.3 s once measured): 9 in five minutes, all answered.
        Assert.Equal(9, pair.A.Stats.HeartbeatsSent);
        Assert.Equal(9, pair.A.Stats.HeartbeatAcksReceived);
        Assert.Equal(9, pair.B.Stats.HeartbeatsSent);
        Assert.True(pair.A.IsEstablished && pair.B.IsEstablished);
    }

    [Fact]
    public void Heartbeat_DataFlowing_NoneSent()
    {
        var pair = new SctpPair(503);
        pair.Establish();
        for (var second = 0; second < 90; second++)
        {
            pair.A.Send(pair.Now, 0, 53, new byte[100]);
            pair.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(0, pair.A.Stats.HeartbeatsSent);
        Assert.Equal(90, SctpPair.Messages(pair.EventsB).Count());
    }

    [Fact]
    public void Heartbeat_Disabled_NeverSentAndNoTimerWhileIdle()
    {
        var options = new SctpOptions { HeartbeatInterval = null };
        var pair = new SctpPair(504, options, options);
        pair.Establish();
        pair.RunFor(TimeSpan.FromSeconds(1));
        Assert.Null(pair.A.PollTimeout());
        Assert.Null(pair.B.PollTimeout());
        Assert.False(pair.Step(), "an idle association without heartbeats has nothing scheduled");
        Assert.Equal(0, pair.A.Stats.HeartbeatsSent);
    }

    [Fact]
    public void Heartbeat_PeerVanishedWhileIdle_ClosesAfterMaxRetrans()
    {
        var options = new SctpOptions { HeartbeatInterval = TimeSpan.FromSeconds(10), MaxAssociationRetransmits = 4 };
        var pair = new SctpPair(505, options, options);
        pair.Establish();
        pair.BToA.Loss = 1.0;
        pair.RunUntil(() => pair.EventsA.OfType<SctpClosed>().Any(), TimeSpan.FromMinutes(10));
        var closed = pair.EventsA.OfType<SctpClosed>().Single();
        Assert.Equal(SctpCloseReason.RetransmissionLimit, closed.Reason);
        Assert.Equal(5, pair.A.Stats.HeartbeatsUnanswered);
        Assert.Equal(5, pair.A.Stats.HeartbeatsSent);
        Assert.Equal(0, pair.A.Stats.DataChunksSent);
        Assert.Equal(0, pair.A.Stats.T3Expirations);
    }

    [Fact]
    public void Heartbeat_SomeAnswersLost_ErrorCountResetByLaterAnswer()
    {
        var options = new SctpOptions { HeartbeatInterval = TimeSpan.FromSeconds(10), MaxAssociationRetransmits = 2 };
        var pair = new SctpPair(506, options, options);
        pair.Establish();
        var dropped = 0;

        // Two answers lost in a row, then one gets through: repeated three times. The limit (2) is never exceeded.
        pair.BToA.DropFilter = p =>
        {
            if (p != null && p.Chunks.Any(c => c is HeartbeatAckChunk) && dropped % 3 != 2)
            {
                dropped++;
                return true;
            }

            if (p != null && p.Chunks.Any(c => c is HeartbeatAckChunk))
            {
                dropped++;
            }

            return false;
        };
        pair.RunUntil(() => pair.A.Stats.HeartbeatAcksReceived >= 3, TimeSpan.FromMinutes(5));
        Assert.True(pair.A.IsEstablished);
        Assert.Equal(6, pair.A.Stats.HeartbeatsUnanswered);
        Assert.Equal(3, pair.A.Stats.HeartbeatAcksReceived);
    }

    [Fact]
    public void HeartbeatAck_NotOurs_IgnoredForRtt()
    {
        var pair = new SctpPair(507);
        pair.Establish();
        var forged = new byte[12];
        forged[7] = 1;
        var packet = new SctpPacket(pair.A.Options.RemotePort, pair.A.Options.LocalPort, pair.A.LocalVerificationTag, [new HeartbeatAckChunk(forged)]);
        pair.A.HandleInput(pair.Now, packet.ToArray());
        Assert.Null(pair.A.SmoothedRtt);
        Assert.Equal(0, pair.A.Stats.HeartbeatAcksReceived);

        // Also after our own HEARTBEAT is out: a wrong nonce or length is still not an answer.
        pair.BToA.Loss = 1.0;
        pair.RunUntil(() => pair.A.Stats.HeartbeatsSent == 1, TimeSpan.FromMinutes(1));
        pair.A.HandleInput(pair.Now, packet.ToArray());
        var shortInfo = new SctpPacket(pair.A.Options.RemotePort, pair.A.Options.LocalPort, pair.A.LocalVerificationTag, [new HeartbeatAckChunk(new byte[3])]);
        pair.A.HandleInput(pair.Now, shortInfo.ToArray());
        Assert.Null(pair.A.SmoothedRtt);
        Assert.Equal(0, pair.A.Stats.HeartbeatAcksReceived);
    }
}
