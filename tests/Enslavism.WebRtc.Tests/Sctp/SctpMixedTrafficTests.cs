using System.Buffers.Binary;
using Enslavism.WebRtc.Sctp;

namespace Enslavism.WebRtc.Tests.Sctp;

/// <summary>
/// Seeded soak: both directions at once, four streams with different delivery/reliability, fragmented messages, loss,
/// reordering and duplication. Checks every per-stream guarantee and that nothing leaks once traffic stops.
/// </summary>
public sealed class SctpMixedTrafficTests
{
    private sealed record StreamSpec(ushort Id, bool Unordered, SctpReliability Reliability);

    private static readonly StreamSpec[] Streams =
    [
        new(0, false, SctpReliability.Reliable),
        new(1, true, SctpReliability.Reliable),
        new(2, false, SctpReliability.MaxRetransmits(1)),
        new(3, true, SctpReliability.MaxLifetime(150)),
        new(4, false, SctpReliability.MaxLifetime(300)),
    ];

    private static byte[] MakeMessage(int stream, int index, int length)
    {
        var bytes = new byte[Math.Max(length, 12)];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, stream);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), index);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), bytes.Length);
        for (var i = 12; i < bytes.Length; i++)
        {
            bytes[i] = (byte)((stream * 7) + (index * 13) + i);
        }

        return bytes;
    }

    private static void AssertIntact(byte[] payload)
    {
        var stream = BinaryPrimitives.ReadInt32LittleEndian(payload);
        var index = BinaryPrimitives.ReadInt32LittleEndian(payload.AsSpan(4));
        Assert.Equal(MakeMessage(stream, index, payload.Length), payload);
    }

    [Theory]
    [InlineData(1, 0.05)]
    [InlineData(2, 0.10)]
    [InlineData(3, 0.15)]
    [InlineData(4, 0.10)]
    [InlineData(5, 0.20)]
    [InlineData(6, 0.02)]
    public void MixedStreams_BothDirections_AllGuaranteesHold(int seed, double loss)
    {
        var pair = new SctpPair(seed);
        pair.Establish();
        foreach (var link in new[] { pair.AToB, pair.BToA })
        {
            link.Loss = loss;
            link.Duplicate = 0.03;
            link.Jitter = TimeSpan.FromMilliseconds(25);
        }

        var oversized = 0;
        pair.OnTransmit = (_, bytes) => oversized += bytes.Length > pair.A.Options.MaxPacketSize ? 1 : 0;
        var random = new Random(seed);
        var sentByA = Streams.ToDictionary(s => s.Id, _ => new List<int>());
        var sentByB = Streams.ToDictionary(s => s.Id, _ => new List<int>());
        for (var round = 0; round < 60; round++)
        {
            foreach (var (sender, log) in new[] { (pair.A, sentByA), (pair.B, sentByB) })
            {
                for (var k = 0; k < 4; k++)
                {
                    var spec = Streams[random.Next(Streams.Length)];
                    var index = log[spec.Id].Count;
                    var length = random.Next(4) == 0 ? random.Next(1200, 6000) : random.Next(12, 400);
                    var result = sender.Send(pair.Now, spec.Id, 53, MakeMessage(spec.Id, index, length), spec.Unordered, spec.Reliability);
                    Assert.Equal(SctpSendResult.Queued, result);
                    log[spec.Id].Add(index);
                }
            }

            pair.RunFor(TimeSpan.FromMilliseconds(random.Next(5, 60)));
        }

        // Let everything settle: reliable data delivered, abandoned data forwarded.
        pair.RunUntil(() => pair.A.FlightSize == 0 && pair.B.FlightSize == 0 && pair.A.BufferedAmount == 0 && pair.B.BufferedAmount == 0, TimeSpan.FromMinutes(5));
        pair.RunFor(TimeSpan.FromSeconds(30));

        foreach (var (receiverEvents, sent) in new[] { (pair.EventsB, sentByA), (pair.EventsA, sentByB) })
        {
            var messages = SctpPair.Messages(receiverEvents).ToList();
            foreach (var m in messages)
            {
                AssertIntact(m.Payload);
                Assert.Equal(BinaryPrimitives.ReadInt32LittleEndian(m.Payload), m.StreamId);
            }

            foreach (var spec in Streams)
            {
                var got = messages.Where(m => m.StreamId == spec.Id).Select(m => BinaryPrimitives.ReadInt32LittleEndian(m.Payload.AsSpan(4))).ToList();
                Assert.Equal(got.Count, got.Distinct().Count());
                Assert.All(got, i => Assert.InRange(i, 0, sent[spec.Id].Count - 1));
                if (spec.Reliability.Kind == SctpReliabilityKind.Reliable)
                {
                    if (spec.Unordered)
                    {
                        Assert.Equal(sent[spec.Id], got.Order());
                    }
                    else
                    {
                        Assert.Equal(sent[spec.Id], got);
                    }
                }
                else if (!spec.Unordered)
                {
                    Assert.Equal(got.Order(), got);
                }
            }
        }

        if (loss >= 0.1)
        {
            // The run must actually have exercised PR-SCTP and loss recovery.
            Assert.True(pair.A.Stats.MessagesAbandoned + pair.B.Stats.MessagesAbandoned > 0);
            Assert.True(pair.A.Stats.ForwardTsnSent + pair.B.Stats.ForwardTsnSent > 0);
            Assert.True(pair.A.Stats.DataChunksRetransmitted > 0 && pair.B.Stats.DataChunksRetransmitted > 0);
        }

        Assert.Equal(0, pair.A.ReceiveBuffered);
        Assert.Equal(0, pair.B.ReceiveBuffered);
        Assert.Equal(0, oversized);
        Assert.Equal(SctpState.Established, pair.A.State);
        Assert.Equal(SctpState.Established, pair.B.State);
    }
}

/// <summary>Random source pinned to one 32-bit value: forces tags and initial TSNs just below the wrap point.</summary>
internal sealed class PinnedRandomSource(uint value) : ISctpRandomSource
{
    public void NextBytes(Span<byte> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = (byte)(value >> (8 * (3 - (i % 4))));
        }
    }
}

public sealed class SctpWrapAroundTests
{
    [Fact]
    public void TsnAndSsnWrap_UnderLoss_DeliveryStaysCorrect()
    {
        var pair = new SctpPair(1);
        var a = new SctpAssociation(new SctpOptions(), new PinnedRandomSource(0xFFFFFF00));
        var b = new SctpAssociation(new SctpOptions(), new PinnedRandomSource(0xFFFFFFF0));
        var eventsA = new List<SctpEvent>();
        var eventsB = new List<SctpEvent>();
        pair.EndpointA = new AssociationEndpoint(a, eventsA);
        pair.EndpointB = new AssociationEndpoint(b, eventsB);
        a.Connect(pair.Now);
        pair.RunUntil(() => a.IsEstablished && b.IsEstablished, TimeSpan.FromSeconds(10));
        foreach (var link in new[] { pair.AToB, pair.BToA })
        {
            link.Loss = 0.1;
            link.Jitter = TimeSpan.FromMilliseconds(20);
        }

        // 70 000 tiny ordered messages also wrap the 16-bit SSN of stream 0.
        const int count = 70_000;
        var next = 0;
        pair.RunUntil(
            () =>
            {
                while (next < count && a.BufferedAmount < 20_000)
                {
                    Assert.Equal(SctpSendResult.Queued, a.Send(pair.Now, 0, 53, BitConverter.GetBytes(next++)));
                }

                // Only Connected precedes the messages; counting via List.Count keeps the loop O(1).
                return eventsB.Count == count + 1;
            },
            TimeSpan.FromHours(1),
            maxIterations: 1_000_000);
        var received = SctpPair.Messages(eventsB).Select(m => BitConverter.ToInt32(m.Payload)).ToList();
        Assert.Equal(Enumerable.Range(0, count), received);
    }
}

public sealed class SctpSchedulingTests
{
    [Fact]
    public void BulkOnOneStream_DoesNotStarveAnotherStream()
    {
        var pair = new SctpPair(3);
        pair.Establish();
        for (var i = 0; i < 50; i++)
        {
            pair.A.Send(pair.Now, 0, 53, new byte[1100]);
        }

        pair.A.Send(pair.Now, 1, 53, new byte[] { 7 });
        var order = new List<ushort>();
        pair.OnTransmit = (fromA, bytes) =>
        {
            if (fromA && SctpPacket.TryParse(bytes, out var p, out _))
            {
                order.AddRange(p!.Chunks.OfType<DataChunk>().Select(d => d.StreamId));
            }
        };
        pair.RunUntil(() => SctpPair.Messages(pair.EventsB).Count() == 51, TimeSpan.FromSeconds(30));
        // Round-robin: stream 1's message goes right after stream 0's first message, not after all 50.
        Assert.Equal(1, order.IndexOf(1));
        Assert.Equal(Enumerable.Repeat((ushort)0, 50), SctpPair.Messages(pair.EventsB).Where(m => m.StreamId == 0).Select(m => m.StreamId));
    }
}
