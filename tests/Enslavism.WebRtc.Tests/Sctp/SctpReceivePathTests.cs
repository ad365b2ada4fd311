using System.Runtime.InteropServices;
using Enslavism.WebRtc.Sctp;

namespace Enslavism.WebRtc.Tests.Sctp;

/// <summary>
/// The receive path's allocation shortcuts (unfragmented in-order messages delivered without reassembly, chunk
/// arrays sized exactly) must not change what is delivered, nor let a delivered message alias the input buffer.
/// </summary>
public sealed class SctpReceivePathTests
{
    private static byte[] Message(int index, int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)((index * 131) + (i * 7) + 1);
        }

        return bytes;
    }

    [Theory]
    [InlineData(31, false, false)]
    [InlineData(32, true, false)]
    [InlineData(34, false, true)]
    [InlineData(35, true, true)]
    public void MixedSingleAndFragmentedMessages_Reordered_DeliveredOnceInOrder(int seed, bool unordered, bool ownedInput)
    {
        var pair = new SctpPair(seed);
        if (ownedInput)
        {
            pair.EndpointB = new OwnedInputEndpoint(pair.B, pair.EndpointB);
        }

        pair.Establish();
        foreach (var link in new[] { pair.AToB, pair.BToA })
        {
            link.Duplicate = 0.05;
            link.Jitter = TimeSpan.FromMilliseconds(25);
        }

        var random = new Random(seed);
        const int count = 300;
        var sent = new List<byte[]>();
        for (var i = 0; i < count; i++)
        {
            var message = Message(i, i % 7 == 0 ? random.Next(1200, 6000) : random.Next(1, 300));
            sent.Add(message);
            Assert.Equal(SctpSendResult.Queued, pair.A.Send(pair.Now, 3, 53, message, unordered));
            if (i % 25 == 0)
            {
                pair.Step();
            }
        }

        pair.RunUntil(() => SctpPair.Messages(pair.EventsB).Count() >= count && pair.A.FlightSize == 0, TimeSpan.FromMinutes(2));
        pair.RunFor(TimeSpan.FromSeconds(2));
        var received = SctpPair.Messages(pair.EventsB).ToList();
        Assert.Equal(count, received.Count);
        Assert.Equal(count, received.Select(m => m.Payload).Distinct(ReferenceEqualityComparer.Instance).Count());
        Assert.Equal(0, pair.B.ReceiveBuffered);
        if (unordered)
        {
            Assert.Equal(sent.Select(Convert.ToHexString).Order(), received.Select(m => Convert.ToHexString(m.Payload)).Order());
        }
        else
        {
            for (var i = 0; i < count; i++)
            {
                Assert.Equal(sent[i], received[i].Payload);
            }
        }
    }

    [Fact]
    public void InputBufferReusedAfterHandleInput_DeliveredMessagesUnaffected()
    {
        // Hosts hand the association pooled buffers that are overwritten right after HandleInput returns.
        var pair = new SctpPair(33);
        pair.EndpointB = new ScribblingEndpoint(pair.EndpointB);
        pair.Establish();
        var sent = Enumerable.Range(0, 50).Select(i => Message(i, 1 + (i * 97 % 4000))).ToList();
        foreach (var message in sent)
        {
            Assert.Equal(SctpSendResult.Queued, pair.A.Send(pair.Now, 1, 53, message));
        }

        pair.RunUntil(() => SctpPair.Messages(pair.EventsB).Count() >= sent.Count, TimeSpan.FromMinutes(1));
        var received = SctpPair.Messages(pair.EventsB).ToList();
        Assert.Equal(sent.Count, received.Count);
        for (var i = 0; i < sent.Count; i++)
        {
            Assert.Equal(sent[i], received[i].Payload);
        }
    }

    [Fact]
    public void TryParseOwned_LargeDataChunkSlicedSmallChunksCopied()
    {
        var big = new SctpPacket(5000, 5000, 1, [new DataChunk(1, 0, 0, 53, Message(1, 1000), false, true, false)]).ToArray();
        Assert.True(SctpPacket.TryParseOwned(big, out var parsed, out _));
        Assert.True(MemoryMarshal.TryGetArray(((DataChunk)parsed!.Chunks[0]).UserData, out var segment));
        Assert.Same(big, segment.Array);
        Assert.Equal(Message(1, 1000), ((DataChunk)parsed.Chunks[0]).UserData.ToArray());

        // Small chunks would pin a whole packet buffer each while charged only for their own bytes: copied.
        var small = new SctpPacket(5000, 5000, 1, [.. Enumerable.Range(0, 8).Select(i => (SctpChunk)new DataChunk((uint)i, 0, (ushort)i, 53, Message(i, 100), false, true, true))]).ToArray();
        Assert.True(SctpPacket.TryParseOwned(small, out parsed, out _));
        Assert.All(parsed!.Chunks, c => Assert.True(MemoryMarshal.TryGetArray(((DataChunk)c).UserData, out var s) && !ReferenceEquals(s.Array, small)));
    }

    /// <summary>Hands every packet over as a fresh array given up for good, as the session does with DTLS records.</summary>
    private sealed class OwnedInputEndpoint(SctpAssociation association, IVirtualEndpoint inner) : IVirtualEndpoint
    {
        public void HandleInput(TimeSpan now, ReadOnlySpan<byte> packet) => association.HandleInputOwned(now, packet.ToArray());

        public void HandleTimeout(TimeSpan now) => inner.HandleTimeout(now);

        public TimeSpan? PollTimeout() => inner.PollTimeout();

        public bool TryPollTransmit(out ReadOnlyMemory<byte> packet) => inner.TryPollTransmit(out packet);

        public void DrainEvents() => inner.DrainEvents();
    }

    /// <summary>Passes each packet in a scratch buffer and overwrites the buffer as soon as HandleInput returns.</summary>
    private sealed class ScribblingEndpoint(IVirtualEndpoint inner) : IVirtualEndpoint
    {
        private readonly byte[] _scratch = new byte[65536];

        public void HandleInput(TimeSpan now, ReadOnlySpan<byte> packet)
        {
            packet.CopyTo(_scratch);
            inner.HandleInput(now, _scratch.AsSpan(0, packet.Length));
            _scratch.AsSpan(0, packet.Length).Fill(0xEE);
        }

        public void HandleTimeout(TimeSpan now) => inner.HandleTimeout(now);

        public TimeSpan? PollTimeout() => inner.PollTimeout();

        public bool TryPollTransmit(out ReadOnlyMemory<byte> packet) => inner.TryPollTransmit(out packet);

        public void DrainEvents() => inner.DrainEvents();
    }
}
