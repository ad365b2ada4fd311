using Enslavism.WebRtc.Sctp;

namespace Enslavism.WebRtc.Tests.Sctp;

public sealed class SctpAssociationTests
{
    private static byte[] Message(int index, int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)(index * 31 + i);
        }

        BitConverter.TryWriteBytes(bytes.AsSpan(0, Math.Min(4, length)), index);
        return bytes;
    }

    private static int IndexOf(byte[] payload) => BitConverter.ToInt32(payload, 0);

    private static void Impair(SctpPair pair, double loss, double dup, TimeSpan jitter)
    {
        foreach (var link in new[] { pair.AToB, pair.BToA })
        {
            link.Loss = loss;
            link.Duplicate = dup;
            link.Jitter = jitter;
        }
    }

    private static bool HasChunk<T>(SctpPacket? packet)
        where T : SctpChunk => packet != null && packet.Chunks.Any(c => c is T);

    [Fact]
    public void Handshake_Completes_BothSidesConnected()
    {
        var pair = new SctpPair(1);
        pair.Establish();
        Assert.Single(pair.EventsA.OfType<SctpConnected>());
        Assert.Single(pair.EventsB.OfType<SctpConnected>());
        Assert.True(pair.A.PeerSupportsPartialReliability);
        Assert.True(pair.B.PeerSupportsPartialReliability);
        Assert.Equal(65535, pair.A.OutboundStreamCount);
    }

    [Fact]
    public void Handshake_FirstInitDropped_InitRetransmitted()
    {
        var pair = new SctpPair(2);
        var dropped = 0;
        pair.AToB.DropFilter = p => HasChunk<InitChunk>(p) && dropped++ == 0;
        pair.Establish();
        Assert.Equal(2, dropped);
        Assert.True(pair.Now - TimeSpan.FromSeconds(1000) >= TimeSpan.FromSeconds(1), "second INIT only after T1-init (RTO.initial)");
    }

    [Fact]
    public void Handshake_FirstCookieEchoDropped_CookieEchoRetransmitted()
    {
        var pair = new SctpPair(3);
        var dropped = 0;
        pair.AToB.DropFilter = p => HasChunk<CookieEchoChunk>(p) && dropped++ == 0;
        pair.Establish();
        Assert.Equal(2, dropped);
    }

    [Fact]
    public void Handshake_CookieAckDropped_DuplicateCookieEchoAnswered()
    {
        var pair = new SctpPair(4);
        var dropped = 0;
        pair.BToA.DropFilter = p => HasChunk<CookieAckChunk>(p) && dropped++ == 0;
        pair.Establish();
        Assert.Single(pair.EventsB.OfType<SctpConnected>());
        Assert.Single(pair.EventsA.OfType<SctpConnected>());
    }

    [Fact]
    public void Handshake_NoAnswer_ClosesWithInitTimeout()
    {
        var pair = new SctpPair(5);
        pair.AToB.Loss = 1.0;
        pair.Connect();
        pair.RunUntil(() => pair.EventsA.OfType<SctpClosed>().Any(), TimeSpan.FromMinutes(10));
        Assert.Equal(SctpCloseReason.InitTimeout, pair.EventsA.OfType<SctpClosed>().Single().Reason);
    }

    [Fact]
    public void Handshake_SimultaneousInit_BothEstablish()
    {
        var pair = new SctpPair(6);
        pair.A.Connect(pair.Now);
        pair.B.Connect(pair.Now);
        pair.RunUntil(() => pair.A.IsEstablished && pair.B.IsEstablished, TimeSpan.FromSeconds(30));
        pair.A.Send(pair.Now, 1, 53, Message(1, 10));
        pair.B.Send(pair.Now, 1, 53, Message(2, 10));
        pair.RunUntil(() => SctpPair.Messages(pair.EventsA).Any() && SctpPair.Messages(pair.EventsB).Any(), TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void ReliableOrdered_LossReorderDuplication_DeliversEveryMessageOnceInOrder(int seed)
    {
        var pair = new SctpPair(seed);
        pair.Establish();
        Impair(pair, 0.10, 0.05, TimeSpan.FromMilliseconds(30));
        var random = new Random(seed);
        const int count = 400;
        var sent = new List<byte[]>();
        for (var i = 0; i < count; i++)
        {
            var message = Message(i, random.Next(4, 3000));
            sent.Add(message);
            Assert.Equal(SctpSendResult.Queued, pair.A.Send(pair.Now, 5, 53, message));
            if (i % 20 == 0)
            {
                pair.Step();
            }
        }

        pair.RunUntil(() => SctpPair.Messages(pair.EventsB).Count() >= count && pair.A.FlightSize == 0, TimeSpan.FromMinutes(5));
        pair.RunFor(TimeSpan.FromSeconds(5));
        var received = SctpPair.Messages(pair.EventsB).ToList();
        Assert.Equal(count, received.Count);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(sent[i], received[i].Payload);
            Assert.Equal(5, received[i].StreamId);
            Assert.Equal(53u, received[i].Ppid);
        }

        Assert.True(pair.A.Stats.DataChunksRetransmitted > 0, "10 % loss must have caused retransmissions");
        Assert.True(pair.B.Stats.DuplicateTsnsReceived > 0, "duplication must have been seen");
    }

    [Fact]
    public void UnorderedReliable_LossReorder_DeliversSameMultiset()
    {
        var pair = new SctpPair(21);
        pair.Establish();
        Impair(pair, 0.10, 0.05, TimeSpan.FromMilliseconds(40));
        const int count = 300;
        var sent = new List<byte[]>();
        for (var i = 0; i < count; i++)
        {
            var message = Message(i, 1 + (i * 37 % 2500));
            sent.Add(message);
            Assert.Equal(SctpSendResult.Queued, pair.A.Send(pair.Now, 2, 53, message, unordered: true));
        }

        pair.RunUntil(() => SctpPair.Messages(pair.EventsB).Count() >= count, TimeSpan.FromMinutes(5));
        pair.RunFor(TimeSpan.FromSeconds(5));
        var received = SctpPair.Messages(pair.EventsB).Select(m => Convert.ToHexString(m.Payload)).Order().ToList();
        Assert.Equal(sent.Select(Convert.ToHexString).Order().ToList(), received);
        Assert.All(SctpPair.Messages(pair.EventsB), m => Assert.True(m.Unordered));
    }

    [Fact]
    public void UnorderedMaxRetransmitsZero_NeverRetransmitsAnyTsn()
    {
        var pair = new SctpPair(31);
        pair.Establish();
        Impair(pair, 0.15, 0.0, TimeSpan.FromMilliseconds(20));
        var transmissions = new Dictionary<uint, int>();
        pair.OnTransmit = (fromA, bytes) =>
        {
            if (fromA && SctpPacket.TryParse(bytes, out var p, out _))
            {
                foreach (var d in p!.Chunks.OfType<DataChunk>())
                {
                    transmissions[d.Tsn] = transmissions.GetValueOrDefault(d.Tsn) + 1;
                }
            }
        };
        for (var round = 0; round < 50; round++)
        {
            for (var i = 0; i < 5; i++)
            {
                var index = (round * 5) + i;
                Assert.Equal(SctpSendResult.Queued, pair.A.Send(pair.Now, 1, 53, Message(index, 100 + (index % 7 * 300)), unordered: true, SctpReliability.MaxRetransmits(0)));
            }

            pair.RunFor(TimeSpan.FromMilliseconds(50));
        }

        pair.RunFor(TimeSpan.FromSeconds(10));
        Assert.NotEmpty(transmissions);
        Assert.All(transmissions, kv => Assert.Equal(1, kv.Value));
        var delivered = SctpPair.Messages(pair.EventsB).Select(m => IndexOf(m.Payload)).ToList();
        Assert.Equal(delivered.Count, delivered.Distinct().Count());
        Assert.InRange(delivered.Count, 150, 249);
        Assert.Equal(0, pair.A.FlightSize);
        Assert.True(pair.A.Stats.ForwardTsnSent > 0);
    }

    [Fact]
    public void MaxPacketLifetime_OrderedBlackout_AbandonsAndForwardTsnUnblocksReceiver()
    {
        var pair = new SctpPair(41);
        pair.Establish();
        var blackoutEnds = pair.Now + TimeSpan.FromMilliseconds(600);
        pair.AToB.DropFilter = p => HasChunk<DataChunk>(p) && pair.Now < blackoutEnds;
        var forwardTsnSeen = false;
        pair.OnDeliver = (toB, bytes) => forwardTsnSeen |= toB && SctpPacket.TryParse(bytes, out var p, out _) && HasChunk<ForwardTsnChunk>(p);
        for (var i = 0; i < 10; i++)
        {
            pair.A.Send(pair.Now, 7, 53, Message(i, 200), reliability: SctpReliability.MaxLifetime(150));
        }

        pair.RunFor(TimeSpan.FromMilliseconds(800));
        for (var i = 10; i < 20; i++)
        {
            pair.A.Send(pair.Now, 7, 53, Message(i, 200), reliability: SctpReliability.MaxLifetime(150));
        }

        pair.RunUntil(() => SctpPair.Messages(pair.EventsB).Count() >= 10, TimeSpan.FromSeconds(10));
        var delivered = SctpPair.Messages(pair.EventsB).Select(m => IndexOf(m.Payload)).ToList();
        Assert.Equal(Enumerable.Range(10, 10), delivered);
        Assert.True(forwardTsnSeen);
        Assert.True(pair.A.Stats.MessagesAbandoned >= 10);
    }

    [Fact]
    public void LargeMessages_256KiB_ReassembleUnderLoss()
    {
        var pair = new SctpPair(51);
        pair.Establish();
        Impair(pair, 0.05, 0.02, TimeSpan.FromMilliseconds(10));
        var big1 = Message(1, 256 * 1024);
        var big2 = Message(2, 256 * 1024);
        Assert.Equal(SctpSendResult.Queued, pair.A.Send(pair.Now, 0, 53, big1));
        Assert.Equal(SctpSendResult.Queued, pair.A.Send(pair.Now, 2, 53, big2, unordered: true));
        Assert.Equal(SctpSendResult.MessageTooLarge, pair.A.Send(pair.Now, 0, 53, new byte[(256 * 1024) + 1]));
        pair.RunUntil(() => SctpPair.Messages(pair.EventsB).Count() == 2, TimeSpan.FromMinutes(2));
        var received = SctpPair.Messages(pair.EventsB).ToDictionary(m => m.StreamId, m => m.Payload);
        Assert.Equal(big1, received[0]);
        Assert.Equal(big2, received[2]);
        pair.RunFor(TimeSpan.FromSeconds(2));
        Assert.Equal(0, pair.B.ReceiveBuffered);
    }

    [Fact]
    public void StreamReset_ResetsOnlyThatStreamInBothDirections()
    {
        var pair = new SctpPair(61);
        pair.Establish();
        pair.A.Send(pair.Now, 1, 53, Message(1, 50));
        pair.A.Send(pair.Now, 3, 53, Message(2, 50));
        pair.B.Send(pair.Now, 1, 53, Message(3, 50));
        pair.RunUntil(() => SctpPair.Messages(pair.EventsB).Count() == 2 && SctpPair.Messages(pair.EventsA).Count() == 1, TimeSpan.FromSeconds(5));

        Assert.True(pair.A.ResetStream(pair.Now, 1));
        Assert.Equal(SctpSendResult.StreamResetting, pair.A.Send(pair.Now, 1, 53, Message(4, 5)));
        pair.RunUntil(() => pair.EventsA.OfType<SctpStreamReset>().Any() && pair.EventsB.OfType<SctpStreamReset>().Any(), TimeSpan.FromSeconds(5));
        Assert.Equal(1, pair.EventsA.OfType<SctpStreamReset>().Single().StreamId);
        Assert.Equal(1, pair.EventsB.OfType<SctpStreamReset>().Single().StreamId);

        // Stream 3 keeps its SSN sequence; stream 1 restarts at SSN 0 and works again.
        var ssns = new List<(ushort, ushort)>();
        pair.OnTransmit = (fromA, bytes) =>
        {
            if (fromA && SctpPacket.TryParse(bytes, out var p, out _))
            {
                ssns.AddRange(p!.Chunks.OfType<DataChunk>().Select(d => (d.StreamId, d.Ssn)));
            }
        };
        pair.A.Send(pair.Now, 3, 53, Message(5, 50));
        pair.A.Send(pair.Now, 1, 53, Message(6, 50));
        pair.RunUntil(() => SctpPair.Messages(pair.EventsB).Count() == 4, TimeSpan.FromSeconds(5));
        Assert.Contains(((ushort)3, (ushort)1), ssns);
        Assert.Contains(((ushort)1, (ushort)0), ssns);
    }

    [Fact]
    public void StreamReset_WithPendingDataLoss_DeliversDataBeforeReset()
    {
        var pair = new SctpPair(62);
        pair.Establish();
        Impair(pair, 0.2, 0, TimeSpan.FromMilliseconds(20));
        for (var i = 0; i < 30; i++)
        {
            pair.A.Send(pair.Now, 9, 53, Message(i, 900));
        }

        pair.A.ResetStream(pair.Now, 9);
        pair.RunUntil(() => pair.EventsB.OfType<SctpStreamReset>().Any() && pair.EventsA.OfType<SctpStreamReset>().Any(), TimeSpan.FromMinutes(2));
        Assert.Equal(Enumerable.Range(0, 30), SctpPair.Messages(pair.EventsB).Select(m => IndexOf(m.Payload)));
    }

    [Fact]
    public void CongestionWindow_BulkTransferUnderLoss_StaysWithinRfcBounds()
    {
        var pair = new SctpPair(71);
        pair.Establish();
        Impair(pair, 0.03, 0, TimeSpan.FromMilliseconds(5));
        var mtu = pair.A.Options.MaxPacketSize;
        Assert.Equal(Math.Min(4 * mtu, Math.Max(2 * mtu, 4380)), pair.A.CongestionWindow);
        for (var i = 0; i < 600; i++)
        {
            pair.A.Send(pair.Now, 0, 53, Message(i, 1100));
        }

        var sacksToA = 0;
        pair.OnDeliver = (toB, bytes) =>
        {
            if (!toB && SctpPacket.TryParse(bytes, out var p, out _))
            {
                sacksToA += p!.Chunks.Count(c => c is SackChunk);
            }
        };
        var lastT3 = 0L;
        long maxCwnd = 0;
        var newDataSent = false;
        uint? highestTsn = null;
        pair.OnTransmit = (fromA, bytes) =>
        {
            if (fromA && SctpPacket.TryParse(bytes, out var p, out _))
            {
                foreach (var d in p!.Chunks.OfType<DataChunk>())
                {
                    if (highestTsn is null || (int)(d.Tsn - highestTsn.Value) > 0)
                    {
                        highestTsn = d.Tsn;
                        newDataSent = true;
                    }
                }
            }
        };
        while (SctpPair.Messages(pair.EventsB).Count() < 600)
        {
            var before = pair.A.CongestionWindow;
            sacksToA = 0;
            newDataSent = false;
            Assert.True(pair.Step());
            Assert.True(pair.Iterations < 100_000);
            var after = pair.A.CongestionWindow;
            maxCwnd = Math.Max(maxCwnd, after);
            Assert.True(after - before <= (long)mtu * sacksToA, $"cwnd grew {after - before} on {sacksToA} SACKs");
            Assert.True(after >= mtu);
            // New data may only leave while flight < cwnd: the last chunk and one fast-retransmit packet may overshoot.
            Assert.True(!newDataSent || pair.A.FlightSize <= after + (2 * mtu), $"flight {pair.A.FlightSize} > cwnd {after} + 2 MTU after sending new data");
            if (pair.A.Stats.T3Expirations != lastT3)
            {
                lastT3 = pair.A.Stats.T3Expirations;
                Assert.True(after <= 2 * mtu, "after T3 expiry cwnd restarts at one MTU (plus at most one SACK of growth)");
            }
        }

        Assert.True(pair.A.Stats.FastRetransmits > 0);
        // The final value depends on when the last loss halved it; the window must have grown at some point.
        Assert.True(maxCwnd > 8 * mtu, "window must have grown well beyond the initial value");
    }

    [Fact]
    public void Send_PeerNotAcking_BufferBoundedAndReportsFull()
    {
        var options = new SctpOptions { MaxBufferedAmount = 64 * 1024 };
        var pair = new SctpPair(81, options);
        pair.Establish();
        pair.BToA.Loss = 1.0;
        var results = new List<SctpSendResult>();
        for (var i = 0; i < 200; i++)
        {
            results.Add(pair.A.Send(pair.Now, 0, 53, Message(i, 1000)));
            pair.Pump();
        }

        Assert.Contains(SctpSendResult.BufferFull, results);
        Assert.True(pair.A.BufferedAmount <= 64 * 1024);
        Assert.True(pair.A.GetBufferedAmount(0) <= 64 * 1024);
        Assert.True(pair.A.FlightSize <= pair.A.CongestionWindow + pair.A.Options.MaxPacketSize);
    }

    [Fact]
    public void Receiver_SmallBuffer_AdvertisesWindowAndStillDelivers()
    {
        var options = new SctpOptions { ReceiveBufferSize = 300 * 1024 };
        var pair = new SctpPair(82, null, options);
        pair.Establish();
        Impair(pair, 0.05, 0, TimeSpan.FromMilliseconds(10));
        for (var i = 0; i < 5; i++)
        {
            pair.A.Send(pair.Now, 0, 53, Message(i, 200 * 1024));
        }

        pair.RunUntil(() => SctpPair.Messages(pair.EventsB).Count() == 5, TimeSpan.FromMinutes(3));
        Assert.Equal(Enumerable.Range(0, 5), SctpPair.Messages(pair.EventsB).Select(m => IndexOf(m.Payload)));
    }

    [Fact]
    public void Shutdown_Graceful_DeliversQueuedDataThenClosesBoth()
    {
        var pair = new SctpPair(91);
        pair.Establish();
        for (var i = 0; i < 20; i++)
        {
            pair.A.Send(pair.Now, 0, 53, Message(i, 500));
        }

        pair.A.Shutdown(pair.Now);
        pair.RunUntil(() => pair.EventsA.OfType<SctpClosed>().Any() && pair.EventsB.OfType<SctpClosed>().Any(), TimeSpan.FromSeconds(10));
        Assert.Equal(20, SctpPair.Messages(pair.EventsB).Count());
        Assert.Equal(SctpCloseReason.Shutdown, pair.EventsA.OfType<SctpClosed>().Single().Reason);
        Assert.Equal(SctpCloseReason.Shutdown, pair.EventsB.OfType<SctpClosed>().Single().Reason);
        Assert.Equal(SctpState.Terminated, pair.A.State);
        Assert.Equal(SctpState.Terminated, pair.B.State);
    }

    [Fact]
    public void Abort_PeerSeesPeerAbort()
    {
        var pair = new SctpPair(92);
        pair.Establish();
        pair.A.Abort(pair.Now, "bye");
        pair.RunUntil(() => pair.EventsB.OfType<SctpClosed>().Any(), TimeSpan.FromSeconds(5));
        Assert.Equal(SctpCloseReason.PeerAbort, pair.EventsB.OfType<SctpClosed>().Single().Reason);
        Assert.Equal(SctpCloseReason.LocalAbort, pair.EventsA.OfType<SctpClosed>().Single().Reason);
    }

    [Fact]
    public void PeerGone_DataRetransmissionsExhausted_Closes()
    {
        var pair = new SctpPair(93);
        pair.Establish();
        pair.AToB.Loss = 1.0;
        pair.A.Send(pair.Now, 0, 53, Message(1, 100));
        pair.RunUntil(() => pair.EventsA.OfType<SctpClosed>().Any(), TimeSpan.FromHours(1));
        Assert.Equal(SctpCloseReason.RetransmissionLimit, pair.EventsA.OfType<SctpClosed>().Single().Reason);
    }

    [Fact]
    public void DelayedSack_SinglePacket_AckedAfterDelayedAckTimeout()
    {
        var pair = new SctpPair(94);
        pair.Establish();
        TimeSpan? sackAt = null;
        var sentAt = pair.Now;
        pair.OnTransmit = (fromA, bytes) =>
        {
            if (!fromA && sackAt is null && SctpPacket.TryParse(bytes, out var p, out _) && HasChunk<SackChunk>(p))
            {
                sackAt = pair.Now;
            }
        };
        pair.A.Send(pair.Now, 0, 53, Message(1, 10));
        pair.RunUntil(() => sackAt.HasValue, TimeSpan.FromSeconds(2));
        // 20 ms one-way delay, then the 200 ms delayed-ack timer.
        Assert.Equal(TimeSpan.FromMilliseconds(220), sackAt!.Value - sentAt);
    }

    [Fact]
    public void ManySmallMessages_AreBundledIntoFewPackets()
    {
        var pair = new SctpPair(95);
        pair.Establish();
        var dataPackets = 0;
        pair.OnTransmit = (fromA, bytes) => dataPackets += fromA && SctpPacket.TryParse(bytes, out var p, out _) && HasChunk<DataChunk>(p) ? 1 : 0;
        for (var i = 0; i < 40; i++)
        {
            pair.A.Send(pair.Now, 0, 51, Message(i, 40));
        }

        pair.RunUntil(() => SctpPair.Messages(pair.EventsB).Count() == 40, TimeSpan.FromSeconds(5));
        // 40 × (16 + 40) bytes fit in 2 packets of 1200 bytes.
        Assert.Equal(2, dataPackets);
    }
}
