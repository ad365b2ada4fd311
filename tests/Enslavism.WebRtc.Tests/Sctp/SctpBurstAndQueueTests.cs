using Enslavism.WebRtc.Sctp;

namespace Enslavism.WebRtc.Tests.Sctp;

/// <summary>Max.Burst, the pacing tick and the delay-based window cap, all in virtual time on the seeded network.</summary>
public sealed class SctpBurstAndQueueTests
{
    private static byte[] Payload(int length) => new byte[length];

    /// <summary>Counts the bytes of new DATA (first transmissions) the wrapped association emits per send opportunity.</summary>
    private sealed class BurstMeter(SctpAssociation association, IVirtualEndpoint inner) : IVirtualEndpoint
    {
        private readonly HashSet<uint> _seen = [];
        private long _current;

        public long MaxBurstBytes { get; private set; }

        public void HandleInput(TimeSpan now, ReadOnlySpan<byte> packet)
        {
            _current = 0;
            inner.HandleInput(now, packet);
        }

        public void HandleTimeout(TimeSpan now)
        {
            _current = 0;
            inner.HandleTimeout(now);
        }

        public TimeSpan? PollTimeout() => inner.PollTimeout();

        public bool TryPollTransmit(out ReadOnlyMemory<byte> packet)
        {
            if (!inner.TryPollTransmit(out packet))
            {
                return false;
            }

            if (SctpPacket.TryParse(packet.Span, out var parsed, out _))
            {
                foreach (var data in parsed!.Chunks.OfType<DataChunk>())
                {
                    if (_seen.Add(data.Tsn))
                    {
                        _current += data.PaddedLength;
                    }
                }
            }

            MaxBurstBytes = Math.Max(MaxBurstBytes, _current);
            return true;
        }

        public void DrainEvents() => inner.DrainEvents();

        public SctpAssociation Association => association;
    }

    /// <summary>Bulk transfer where B's SACKs are often lost, so the SACKs that arrive open large parts of the window.</summary>
    private static (BurstMeter Meter, SctpPair Pair) RunThinnedSacks(int maxBurst)
    {
        var pair = new SctpPair(301, new SctpOptions { MaxBurst = maxBurst, MaxQueuedBytes = 0 });
        pair.Establish();
        var meter = new BurstMeter(pair.A, pair.EndpointA);
        pair.EndpointA = meter;
        pair.AToB.Delay = pair.BToA.Delay = TimeSpan.FromMilliseconds(5);
        pair.BToA.Loss = 0.3;
        for (var i = 0; i < 2000; i++)
        {
            Assert.Equal(SctpSendResult.Queued, pair.A.Send(pair.Now, 0, 53, Payload(1100)));
        }

        pair.RunUntil(() => SctpPair.Messages(pair.EventsB).Count() == 2000, TimeSpan.FromMinutes(10), 400_000);
        return (meter, pair);
    }

    [Fact]
    public void MaxBurst_ThinnedSacks_NewDataPerOpportunityBounded()
    {
        var (limited, pair) = RunThinnedSacks(4);
        var mtu = pair.A.Options.MaxPacketSize;
        // Max.Burst packets per SACK, stretched to what the SACK acked + 1 packet but never beyond twice Max.Burst.
        var bound = 2 * 4L * (mtu - 12);
        Assert.InRange(limited.MaxBurstBytes, 1, bound);
        Assert.True(pair.A.Stats.BurstLimitedSends > 0, "the limit must actually have held data back");

        // The same scenario without the limit sends far larger bursts: the bound above is the option's doing.
        var (unlimited, unlimitedPair) = RunThinnedSacks(0);
        Assert.True(unlimited.MaxBurstBytes > 2 * bound, $"unlimited max burst {unlimited.MaxBurstBytes}");
        Assert.Equal(0, unlimitedPair.A.Stats.BurstLimitedSends);
    }

    [Fact]
    public void MaxBurst_NoSackArrives_PacingDeadlineReleasesNextBurst()
    {
        var pair = new SctpPair(302, new SctpOptions { MaxBurst = 2, MaxQueuedBytes = 0 });
        pair.Establish();

        // Grow the window on a clean link first, then let nothing come back.
        for (var i = 0; i < 300; i++)
        {
            pair.A.Send(pair.Now, 0, 53, Payload(1100));
        }

        pair.RunUntil(() => SctpPair.Messages(pair.EventsB).Count() == 300 && pair.A.FlightSize == 0, TimeSpan.FromSeconds(30));
        Assert.True(pair.A.CongestionWindow >= 8 * pair.A.Options.MaxPacketSize);
        pair.BToA.Loss = 1.0;
        var dataPackets = new List<TimeSpan>();
        pair.OnTransmit = (fromA, bytes) =>
        {
            if (fromA && SctpPacket.TryParse(bytes, out var p, out _) && p!.Chunks.Any(c => c is DataChunk))
            {
                dataPackets.Add(pair.Now);
            }
        };
        var start = pair.Now;
        for (var i = 0; i < 50; i++)
        {
            pair.A.Send(pair.Now, 0, 53, Payload(1100));
        }

        pair.Pump();
        Assert.Equal(2, dataPackets.Count);
        var deadline = pair.A.PollTimeout();
        Assert.NotNull(deadline);
        Assert.InRange(deadline!.Value - start, TimeSpan.FromTicks(1000), pair.A.SmoothedRtt!.Value);

        // Without any SACK, the pacing ticks alone spend the rest of the window, two packets at a time.
        pair.RunFor(pair.A.SmoothedRtt!.Value * 2);
        Assert.True(dataPackets.Count > 2, "pacing tick must release more data");
        Assert.True(dataPackets.GroupBy(t => t).All(g => g.Count() <= 2), "never more than Max.Burst packets at one instant");
        Assert.True(pair.A.FlightSize <= pair.A.CongestionWindow + pair.A.Options.MaxPacketSize);
    }

    /// <summary>Bulk transfer through a 10 MB/s bottleneck whose drop-tail queue holds 128 KiB (a browser's UDP socket).</summary>
    private static SctpPair RunBottleneck(int maxQueuedBytes, int seed)
    {
        var pair = new SctpPair(seed, new SctpOptions { MaxQueuedBytes = maxQueuedBytes });
        pair.Establish();
        pair.AToB.Delay = pair.BToA.Delay = TimeSpan.FromMilliseconds(1);
        pair.AToB.BytesPerSecond = 10_000_000;
        pair.AToB.QueueLimitBytes = 128 * 1024;
        for (var i = 0; i < 4000; i++)
        {
            Assert.Equal(SctpSendResult.Queued, pair.A.Send(pair.Now, 0, 53, Payload(1100)));
        }

        pair.RunUntil(() => SctpPair.Messages(pair.EventsB).Count() == 4000, TimeSpan.FromMinutes(2), 500_000);
        return pair;
    }

    [Theory]
    [InlineData(401)]
    [InlineData(402)]
    public void MaxQueuedBytes_ShallowBottleneckQueue_NoOverflowNoRetransmission(int seed)
    {
        var pair = RunBottleneck(32 * 1024, seed);
        Assert.Equal(0, pair.AToB.QueueDrops);
        Assert.Equal(0, pair.A.Stats.DataChunksRetransmitted);
        Assert.True(pair.AToB.MaxQueuedBytes <= 128 * 1024);
        Assert.True(pair.A.Stats.DelayLimitedAcks > 0, "the cap must have been what held the window");

        // Pure loss-based control overflows the same queue, so the cap above is what prevented it.
        var uncapped = RunBottleneck(0, seed);
        Assert.True(uncapped.AToB.QueueDrops > 0, "without the cap the queue must overflow");
        Assert.True(uncapped.A.Stats.DataChunksRetransmitted > 0);
        Assert.Equal(0, uncapped.A.Stats.DelayLimitedAcks);
    }

    [Fact]
    public void MaxQueuedBytes_ShallowBottleneck_KeepsLinkBusy()
    {
        var pair = new SctpPair(403);
        pair.Establish();
        pair.AToB.Delay = pair.BToA.Delay = TimeSpan.FromMilliseconds(1);
        pair.AToB.BytesPerSecond = 10_000_000;
        pair.AToB.QueueLimitBytes = 128 * 1024;
        for (var i = 0; i < 4000; i++)
        {
            pair.A.Send(pair.Now, 0, 53, Payload(1100));
        }

        var start = pair.Now;
        pair.RunUntil(() => SctpPair.Messages(pair.EventsB).Count() == 4000, TimeSpan.FromMinutes(2), 500_000);

        // 4000 × ~1.2 KB through 10 MB/s is ~0.48 s of virtual time; the cap may cost slow start, not the steady state.
        var elapsed = pair.Now - start;
        Assert.True(elapsed < TimeSpan.FromSeconds(0.6), $"transfer took {elapsed.TotalMilliseconds} ms of virtual time");
    }

    [Fact]
    public void Options_NegativeOrTinyLimits_Rejected()
    {
        var random = new SeededSctpRandomSource(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SctpAssociation(new SctpOptions { MaxBurst = -1 }, random));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SctpAssociation(new SctpOptions { MaxQueuedBytes = -1 }, random));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SctpAssociation(new SctpOptions { MaxQueuedBytes = 1000 }, random));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SctpAssociation(new SctpOptions { HeartbeatInterval = TimeSpan.Zero }, random));
        _ = new SctpAssociation(new SctpOptions { MaxBurst = 0, MaxQueuedBytes = 0, HeartbeatInterval = null }, random);
    }
}
