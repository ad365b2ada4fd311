using Enslavism.WebRtc.Sctp;

namespace Enslavism.WebRtc.Tests.Sctp;

/// <summary>
/// The loss and SACK counters of <see cref="SctpStats"/> against an independent count of what crossed the seeded lossy
/// virtual wire.
/// </summary>
public sealed class SctpStatsTests
{
    private static void Impair(SctpPair pair, double loss, double dup, TimeSpan jitter)
    {
        foreach (var link in new[] { pair.AToB, pair.BToA })
        {
            link.Loss = loss;
            link.Duplicate = dup;
            link.Jitter = jitter;
        }
    }

    [Theory]
    [InlineData(601)]
    [InlineData(602)]
    public void Stats_LossyReliableTransfer_MatchWhatCrossedTheWire(int seed)
    {
        var pair = new SctpPair(seed);
        pair.Establish();
        Impair(pair, 0.08, 0.04, TimeSpan.FromMilliseconds(25));

        var transmissions = new Dictionary<uint, int>();
        long retransmittedBytes = 0;
        long sacksFromB = 0, sacksWithGapsFromB = 0, sacksToA = 0, dataToB = 0, duplicatesAtB = 0, outOfOrderAtB = 0;
        uint? firstTsn = null;
        uint? cumulative = null;
        var above = new SortedSet<uint>();
        var seenAtB = new HashSet<uint>();
        pair.OnTransmit = (fromA, bytes) =>
        {
            Assert.True(SctpPacket.TryParse(bytes, out var p, out _));
            foreach (var chunk in p!.Chunks)
            {
                if (fromA && chunk is DataChunk data)
                {
                    firstTsn ??= data.Tsn;
                    var count = transmissions.GetValueOrDefault(data.Tsn) + 1;
                    transmissions[data.Tsn] = count;
                    if (count > 1)
                    {
                        retransmittedBytes += data.UserData.Length;
                    }
                }
                else if (!fromA && chunk is SackChunk sack)
                {
                    sacksFromB++;
                    sacksWithGapsFromB += sack.GapAckBlocks.Count > 0 ? 1 : 0;
                }
            }
        };
        pair.OnDeliver = (toB, bytes) =>
        {
            Assert.True(SctpPacket.TryParse(bytes, out var p, out _));
            foreach (var chunk in p!.Chunks)
            {
                if (!toB && chunk is SackChunk)
                {
                    sacksToA++;
                }
                else if (toB && chunk is DataChunk data)
                {
                    dataToB++;
                    if (!seenAtB.Add(data.Tsn))
                    {
                        duplicatesAtB++;
                        continue;
                    }

                    // The first TSN A ever sent is the receiver's initial cumulative TSN + 1 (no DATA before it).
                    var cum = cumulative ?? firstTsn!.Value - 1;
                    if (data.Tsn != cum + 1)
                    {
                        outOfOrderAtB++;
                    }

                    above.Add(data.Tsn);
                    while (above.Remove(cum + 1))
                    {
                        cum++;
                    }

                    cumulative = cum;
                }
            }
        };

        const int count = 300;
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(SctpSendResult.Queued, pair.A.Send(pair.Now, 1, 53, new byte[200 + (i * 97 % 2800)]));
        }

        pair.RunUntil(() => SctpPair.Messages(pair.EventsB).Count() == count && pair.A.FlightSize == 0, TimeSpan.FromMinutes(5));
        pair.RunFor(TimeSpan.FromSeconds(1));

        var a = pair.A.Stats;
        var b = pair.B.Stats;
        Assert.Equal(transmissions.Count, a.DataChunksSent);
        Assert.Equal(transmissions.Values.Sum(v => v - 1), a.DataChunksRetransmitted);
        Assert.Equal(retransmittedBytes, a.DataBytesRetransmitted);
        Assert.True(a.DataChunksRetransmitted > 0 && a.FastRetransmits > 0, "8 % loss must have caused fast retransmissions");
        Assert.True(a.DataChunksRetransmitted >= a.FastRetransmits);
        Assert.Equal(sacksFromB, b.SacksSent);
        Assert.Equal(sacksWithGapsFromB, b.SacksSentWithGaps);
        Assert.True(b.SacksSentWithGaps > 0);
        Assert.Equal(sacksToA, a.SacksReceived);
        Assert.Equal(dataToB, b.DataChunksReceived);
        Assert.Equal(0, b.DataChunksDroppedNoBuffer);
        Assert.Equal(duplicatesAtB, b.DuplicateTsnsReceived);
        Assert.True(b.DuplicateTsnsReceived > 0, "duplication must have been seen");
        Assert.Equal(outOfOrderAtB, b.DataChunksReceivedOutOfOrder);
        Assert.True(b.DataChunksReceivedOutOfOrder > 0);
        Assert.Equal(0, a.MessagesAbandoned);
        Assert.Equal(0, a.ForwardTsnSent);
    }

    [Fact]
    public void Stats_PartialReliabilityUnderLoss_CountAbandonedAndForwardTsns()
    {
        var pair = new SctpPair(603);
        pair.Establish();
        Impair(pair, 0.15, 0.0, TimeSpan.FromMilliseconds(20));
        long forwardFromA = 0, forwardToB = 0;
        pair.OnTransmit = (fromA, bytes) => forwardFromA += fromA && SctpPacket.TryParse(bytes, out var p, out _) ? p!.Chunks.Count(c => c is ForwardTsnChunk) : 0;
        pair.OnDeliver = (toB, bytes) => forwardToB += toB && SctpPacket.TryParse(bytes, out var p, out _) ? p!.Chunks.Count(c => c is ForwardTsnChunk) : 0;
        const int count = 250;
        for (var i = 0; i < count; i++)
        {
            pair.A.Send(pair.Now, 1, 53, new byte[100 + (i % 7 * 300)], unordered: true, SctpReliability.MaxRetransmits(0));
            if (i % 5 == 4)
            {
                pair.RunFor(TimeSpan.FromMilliseconds(50));
            }
        }

        pair.RunFor(TimeSpan.FromSeconds(10));
        var delivered = SctpPair.Messages(pair.EventsB).Count();
        Assert.True(delivered < count);
        Assert.Equal(0, pair.A.Stats.DataChunksRetransmitted);

        // Every lost message was abandoned; a delivered one can be too when only its SACK was lost.
        Assert.True(pair.A.Stats.MessagesAbandoned >= count - delivered, $"abandoned {pair.A.Stats.MessagesAbandoned}, lost {count - delivered}");
        Assert.Equal(forwardFromA, pair.A.Stats.ForwardTsnSent);
        Assert.Equal(forwardToB, pair.B.Stats.ForwardTsnReceived);
        Assert.True(forwardToB > 0);
    }

    [Fact]
    public void Stats_PeerGone_CountsEveryT3AndItsRetransmission()
    {
        var options = new SctpOptions { MaxAssociationRetransmits = 5 };
        var pair = new SctpPair(604, options);
        pair.Establish();
        pair.AToB.Loss = 1.0;
        pair.A.Send(pair.Now, 0, 53, new byte[100]);
        pair.RunUntil(() => pair.EventsA.OfType<SctpClosed>().Any(), TimeSpan.FromHours(1));

        // Six expirations: five retransmit the chunk, the sixth exceeds Association.Max.Retrans and closes.
        Assert.Equal(6, pair.A.Stats.T3Expirations);
        Assert.Equal(5, pair.A.Stats.DataChunksRetransmitted);
        Assert.Equal(500, pair.A.Stats.DataBytesRetransmitted);
        Assert.Equal(0, pair.A.Stats.FastRetransmits);
        Assert.Equal(0, pair.A.Stats.SacksReceived);
    }
}
