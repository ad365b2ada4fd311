using Enslavism.WebRtc.Sctp;

namespace Enslavism.WebRtc.Tests.Sctp;

/// <summary>When the receiver acknowledges (RFC 9260 §6.2, §6.7, stretched to every 4th packet), in virtual time.</summary>
public sealed class SctpSackPolicyTests
{
    private static int SackCount(byte[] bytes) =>
        SctpPacket.TryParse(bytes, out var p, out _) ? p!.Chunks.Count(c => c is SackChunk) : 0;

    private static List<(TimeSpan At, SackChunk Sack)> RecordSacksFromB(SctpPair pair)
    {
        var sacks = new List<(TimeSpan, SackChunk)>();
        pair.OnTransmit = (fromA, bytes) =>
        {
            if (!fromA && SctpPacket.TryParse(bytes, out var p, out _))
            {
                sacks.AddRange(p!.Chunks.OfType<SackChunk>().Select(s => (pair.Now, s)));
            }
        };
        return sacks;
    }

    [Fact]
    public void BulkInOrder_OneSackPerFourPackets()
    {
        var pair = new SctpPair(701);
        pair.Establish();
        var sacks = RecordSacksFromB(pair);
        var dataPackets = 0;
        pair.OnDeliver = (toB, bytes) => dataPackets += toB && SctpPacket.TryParse(bytes, out var p, out _) && p!.Chunks.Any(c => c is DataChunk) ? 1 : 0;
        for (var i = 0; i < 400; i++)
        {
            pair.A.Send(pair.Now, 0, 53, new byte[1000]);
        }

        pair.RunUntil(() => SctpPair.Messages(pair.EventsB).Count() == 400 && pair.A.FlightSize == 0, TimeSpan.FromSeconds(30));
        Assert.Equal(400, dataPackets);

        // Every 4th packet, plus the short-delay SACKs at the tail of each window (2–3 packets left over).
        Assert.InRange(sacks.Count, 100, 140);
        Assert.All(sacks, s => Assert.Empty(s.Sack.GapAckBlocks));
        Assert.Equal(sacks.Count, pair.B.Stats.SacksSent);
    }

    [Fact]
    public void TwoPackets_AckedAfterStretchedDelayNotDelayedAckTimer()
    {
        var pair = new SctpPair(702);
        pair.Establish();
        var sacks = RecordSacksFromB(pair);
        var sentAt = pair.Now;

        // Two full packets (one message each), then nothing: the receiver must not sit on them for 200 ms.
        pair.A.Send(pair.Now, 0, 53, new byte[1100]);
        pair.A.Send(pair.Now, 0, 53, new byte[1100]);
        pair.RunUntil(() => sacks.Count > 0, TimeSpan.FromSeconds(1));

        // 20 ms one way, then the 2 ms stretched-ack delay.
        Assert.Equal(TimeSpan.FromMilliseconds(22), sacks[0].At - sentAt);
    }

    [Fact]
    public void OnePacket_StillWaitsForDelayedAckTimer()
    {
        var pair = new SctpPair(703);
        pair.Establish();
        var sacks = RecordSacksFromB(pair);
        var sentAt = pair.Now;
        pair.A.Send(pair.Now, 0, 53, new byte[100]);
        pair.RunUntil(() => sacks.Count > 0, TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromMilliseconds(220), sacks[0].At - sentAt);
    }

    [Fact]
    public void GapPresent_EveryPacketAckedAtOnce()
    {
        var pair = new SctpPair(704);
        pair.Establish();
        var sacks = RecordSacksFromB(pair);
        var dropped = false;

        // Lose the first DATA packet only: every packet after the hole gets its own immediate SACK (RFC 9260 §6.7).
        pair.AToB.DropFilter = p =>
        {
            if (!dropped && p != null && p.Chunks.Any(c => c is DataChunk))
            {
                dropped = true;
                return true;
            }

            return false;
        };
        for (var i = 0; i < 4; i++)
        {
            pair.A.Send(pair.Now, 0, 53, new byte[1100]);
        }

        pair.Advance(TimeSpan.FromMilliseconds(21));
        Assert.Equal(3, sacks.Count);
        Assert.All(sacks, s => Assert.NotEmpty(s.Sack.GapAckBlocks));
        Assert.All(sacks, s => Assert.Equal(TimeSpan.FromMilliseconds(20), s.At - (pair.Now - TimeSpan.FromMilliseconds(21))));
        Assert.Equal(3, pair.B.Stats.SacksSentWithGaps);
        Assert.Equal(3, pair.B.Stats.DataChunksReceivedOutOfOrder);
    }

    [Fact]
    public void Options_StretchedDelayOutOfRange_Rejected()
    {
        var random = new SeededSctpRandomSource(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SctpAssociation(new SctpOptions { StretchedAckDelay = TimeSpan.Zero }, random));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SctpAssociation(new SctpOptions { StretchedAckDelay = TimeSpan.FromMilliseconds(300) }, random));
    }
}
