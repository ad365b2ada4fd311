using System.Buffers.Binary;
using Enslavism.WebRtc.Sctp;

namespace Enslavism.WebRtc.Tests.Sctp;

public sealed class SctpRobustnessTests
{
    private static void FixChecksum(byte[] packet)
    {
        if (packet.Length >= 12)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(8), SctpPacket.ComputeChecksum(packet));
        }
    }

    private static byte[] Mutate(Random random, byte[] original)
    {
        var bytes = (byte[])original.Clone();
        switch (random.Next(4))
        {
            case 0:
                for (var i = 0; i < 1 + random.Next(4); i++)
                {
                    bytes[12 + random.Next(bytes.Length - 12)] = (byte)random.Next(256);
                }

                break;
            case 1:
                bytes = bytes[..(12 + random.Next(bytes.Length - 11))];
                break;
            case 2:
                // Corrupt a length field of the first chunk.
                if (bytes.Length >= 16)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(14), (ushort)random.Next(65536));
                }

                break;
            default:
                var extra = new byte[random.Next(1, 64)];
                random.NextBytes(extra);
                bytes = [.. bytes, .. extra];
                break;
        }

        FixChecksum(bytes);
        return bytes;
    }

    private static List<byte[]> SamplePackets()
    {
        var pair = new SctpPair(7);
        var captured = new List<byte[]>();
        pair.OnTransmit = (_, bytes) => captured.Add(bytes);
        pair.Establish();
        pair.A.Send(pair.Now, 1, 53, new byte[3000], reliability: SctpReliability.MaxRetransmits(0));
        pair.A.Send(pair.Now, 1, 51, new byte[10], unordered: true);
        pair.RunFor(TimeSpan.FromSeconds(1));
        pair.A.ResetStream(pair.Now, 1);
        pair.RunFor(TimeSpan.FromSeconds(1));
        captured.Add(new SctpPacket(5000, 5000, 1, [new ForwardTsnChunk(5, [new ForwardTsnStream(1, 2)]), new HeartbeatChunk(new byte[8]), new ErrorChunk([])]).ToArray());
        captured.Add(new SctpPacket(5000, 5000, 1, [new ReConfigChunk([new IncomingSsnResetRequestParameter(1, [1])]), new ShutdownChunk(3)]).ToArray());
        return captured;
    }

    [Fact]
    public void Parser_RandomBytes_NeverThrows()
    {
        var random = new Random(1234);
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            if (i % 2 == 0)
            {
                FixChecksum(bytes);
            }

            var ok = SctpPacket.TryParse(bytes, out var packet, out var error);
            Assert.Equal(ok, packet != null);
            Assert.Equal(ok, error.Kind == SctpParseErrorKind.None);
        }
    }

    [Fact]
    public void Parser_MutatedValidPackets_NeverThrowAndReencodeWhenAccepted()
    {
        var random = new Random(99);
        var samples = SamplePackets();
        Assert.True(samples.Count > 10);
        var accepted = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = Mutate(random, samples[random.Next(samples.Count)]);
            if (SctpPacket.TryParse(bytes, out var packet, out _))
            {
                accepted++;
                Assert.True(SctpPacket.TryParse(packet!.ToArray(), out _, out _));
            }
        }

        Assert.InRange(accepted, 1, 19_999);
    }

    [Fact]
    public void LiveAssociation_MutatedAndRandomPackets_NeverThrowAndPeerKeepsWorking()
    {
        var random = new Random(4321);
        var samples = SamplePackets();
        for (var round = 0; round < 20; round++)
        {
            var pair = new SctpPair(100 + round);
            pair.Establish();
            pair.A.Send(pair.Now, 3, 53, new byte[500]);
            pair.RunFor(TimeSpan.FromMilliseconds(100));

            // Packets that fail the checksum must leave the association untouched.
            for (var i = 0; i < 200; i++)
            {
                var bytes = Mutate(random, samples[random.Next(samples.Count)]);
                bytes[8] ^= 0x5A;
                pair.B.HandleInput(pair.Now, bytes);
                var junk = new byte[random.Next(0, 200)];
                random.NextBytes(junk);
                pair.B.HandleInput(pair.Now, junk);
            }

            pair.Pump();
            Assert.Equal(SctpState.Established, pair.B.State);
            pair.A.Send(pair.Now, 3, 53, new byte[700]);
            pair.RunUntil(() => SctpPair.Messages(pair.EventsB).Count() == 2, TimeSpan.FromSeconds(10));

            // Checksum-valid mutations (with our real tag, i.e. an on-path attacker) may legitimately change state, but
            // must never throw, and whatever B emits must still be well-formed SCTP for A.
            var malformedToA = 0;
            pair.OnTransmit = (fromA, bytes) => malformedToA += !fromA && !SctpPacket.TryParse(bytes, out _, out _) ? 1 : 0;
            for (var i = 0; i < 200; i++)
            {
                var bytes = Mutate(random, samples[random.Next(samples.Count)]);
                BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), random.Next(2) == 0 ? TagOf(pair.B) : (uint)random.Next());
                FixChecksum(bytes);
                pair.B.HandleInput(pair.Now, bytes);
                pair.Pump();
            }

            pair.RunFor(TimeSpan.FromSeconds(2));
            Assert.Equal(0, malformedToA);
            Assert.Equal(0, pair.A.Stats.MalformedPackets);
        }
    }

    private static uint TagOf(SctpAssociation association) => association.LocalVerificationTag;

    [Fact]
    public void Server_LibdatachannelStyleInitWithAuthAndZeroChecksum_AnswersAndIgnoresThem()
    {
        var server = new SctpAssociation(new SctpOptions(), new SeededSctpRandomSource(5));
        var init = new InitChunk(0xCAFEBABE, 1024 * 1024, 1024, 1024, 77,
        [
            new UnknownParameter(0x8001, new byte[] { 0, 0, 0, 1 }),
            new UnknownParameter(0x8002, new byte[32]),
            new UnknownParameter(0x8004, new byte[] { 0, 1 }),
            new UnknownParameter(0x8003, new byte[] { 0x80, 0xC1 }),
            ForwardTsnSupportedParameter.Instance,
            new SupportedExtensionsParameter([0x82, 0xC0, 0xC1, 0x80]),
            new UnknownParameter(0xC004, new byte[4]),
        ]);
        server.HandleInput(TimeSpan.Zero, new SctpPacket(5000, 5000, 0, [init]).ToArray());
        Assert.True(server.TryPollTransmit(out var reply));
        Assert.True(SctpPacket.TryParse(reply.Span, out var packet, out _));
        Assert.Equal(0xCAFEBABEu, packet!.VerificationTag);
        var ack = Assert.IsType<InitAckChunk>(packet.Chunks.Single());
        Assert.NotNull(ack.FindParameter<StateCookieParameter>());
        // 0x8xxx are skipped silently; 0xC004 (high bits 11) is skipped and reported.
        var unrecognized = ack.Parameters.OfType<UnrecognizedParameter>().Single();
        Assert.Equal(0xC004, BinaryPrimitives.ReadUInt16BigEndian(unrecognized.ParameterTlv.Span));
        Assert.Equal(SctpState.Closed, server.State);
    }

    [Fact]
    public void Server_PionStyleInitWithoutForwardTsnParam_StillEnablesPartialReliability()
    {
        var server = new SctpAssociation(new SctpOptions(), new SeededSctpRandomSource(8));
        var init = new InitChunk(0x11111111, 1024 * 1024, 1024, 1024, 1000, [new SupportedExtensionsParameter([0x82, 0xC0])]);
        server.HandleInput(TimeSpan.Zero, new SctpPacket(5000, 5000, 0, [init]).ToArray());
        Assert.True(server.TryPollTransmit(out var reply));
        Assert.True(SctpPacket.TryParse(reply.Span, out var packet, out _));
        var ack = (InitAckChunk)packet!.Chunks[0];
        var echo = new SctpPacket(5000, 5000, ack.InitiateTag, [new CookieEchoChunk(ack.FindParameter<StateCookieParameter>()!.Cookie)]);
        server.HandleInput(TimeSpan.FromMilliseconds(5), echo.ToArray());
        Assert.True(server.IsEstablished);
        Assert.True(server.PeerSupportsPartialReliability);
        Assert.Equal(1024, server.OutboundStreamCount);
    }

    [Fact]
    public void Server_ForgedOrExpiredCookie_Ignored()
    {
        var options = new SctpOptions { CookieLifetime = TimeSpan.FromSeconds(5) };
        var server = new SctpAssociation(options, new SeededSctpRandomSource(10));
        var init = new InitChunk(0x22222222, 65536, 16, 16, 1, []);
        server.HandleInput(TimeSpan.Zero, new SctpPacket(5000, 5000, 0, [init]).ToArray());
        Assert.True(server.TryPollTransmit(out var reply));
        Assert.True(SctpPacket.TryParse(reply.Span, out var packet, out _));
        var ack = (InitAckChunk)packet!.Chunks[0];
        var cookie = ack.FindParameter<StateCookieParameter>()!.Cookie.ToArray();

        var forged = (byte[])cookie.Clone();
        forged[0] ^= 1;
        server.HandleInput(TimeSpan.FromSeconds(1), new SctpPacket(5000, 5000, ack.InitiateTag, [new CookieEchoChunk(forged)]).ToArray());
        Assert.Equal(SctpState.Closed, server.State);

        server.HandleInput(TimeSpan.FromSeconds(6), new SctpPacket(5000, 5000, ack.InitiateTag, [new CookieEchoChunk(cookie)]).ToArray());
        Assert.Equal(SctpState.Closed, server.State);

        // Same seed => same cookie key and tags: a twin server accepts the genuine cookie within its lifetime.
        var twin = new SctpAssociation(options, new SeededSctpRandomSource(10));
        twin.HandleInput(TimeSpan.Zero, new SctpPacket(5000, 5000, 0, [init]).ToArray());
        twin.HandleInput(TimeSpan.FromSeconds(2), new SctpPacket(5000, 5000, ack.InitiateTag, [new CookieEchoChunk(cookie)]).ToArray());
        Assert.Equal(SctpState.Established, twin.State);
        Assert.Equal(16, twin.OutboundStreamCount);
    }

    [Fact]
    public void LiveAssociation_HugeUnknownChunksAndParameters_ReportedWithinLimits()
    {
        var pair = new SctpPair(11);
        pair.Establish();
        var huge = new UnknownChunk(0xC5, 0, new byte[60_000]);
        pair.B.HandleInput(pair.Now, new SctpPacket(5000, 5000, pair.B.LocalVerificationTag, [huge, new UnknownChunk(0x45, 0, new byte[100])]).ToArray());
        Assert.True(pair.B.TryPollTransmit(out var reply));
        Assert.True(SctpPacket.TryParse(reply.Span, out var packet, out _));
        var error = Assert.IsType<ErrorChunk>(packet!.Chunks.Single());
        Assert.Equal(0x45, error.Causes.Single().Info.Span[0]);

        var server = new SctpAssociation(new SctpOptions(), new SeededSctpRandomSource(12));
        var init = new InitChunk(1, 65536, 1, 1, 1, [new UnknownParameter(0xC123, new byte[30_000]), new UnknownParameter(0xC124, new byte[30_000]), new UnknownParameter(0x4125, new byte[4])]);
        server.HandleInput(TimeSpan.Zero, new SctpPacket(5000, 5000, 0, [init]).ToArray());
        Assert.True(server.TryPollTransmit(out var ackBytes));
        Assert.True(ackBytes.Length < 2000);
        Assert.True(SctpPacket.TryParse(ackBytes.Span, out var ackPacket, out _));
        // The two 30 KB parameters exceed the report cap; the small one (high bits 01: stop and report) is echoed.
        var reported = ((InitAckChunk)ackPacket!.Chunks[0]).Parameters.OfType<UnrecognizedParameter>().Single();
        Assert.Equal(0x4125, BinaryPrimitives.ReadUInt16BigEndian(reported.ParameterTlv.Span));
    }

    [Fact]
    public void LiveAssociation_TimeGoingBackwards_DoesNotBreakTimers()
    {
        var pair = new SctpPair(13);
        pair.Establish();
        pair.A.Send(TimeSpan.Zero, 0, 53, new byte[10]);
        Assert.True(pair.A.PollTimeout() is null || pair.A.PollTimeout() >= pair.Now - TimeSpan.FromSeconds(1));
        pair.RunUntil(() => SctpPair.Messages(pair.EventsB).Any(), TimeSpan.FromSeconds(5));
        Assert.Equal(0, pair.A.Stats.DataChunksRetransmitted);
    }

    [Fact]
    public void Server_InitWithAddressParametersFirst_StillSeesForwardTsnSupport()
    {
        var server = new SctpAssociation(new SctpOptions(), new SeededSctpRandomSource(14));
        var init = new InitChunk(0x33333333, 65536, 8, 8, 500,
        [
            new UnknownParameter(12, new byte[] { 0, 5 }),
            new UnknownParameter(5, new byte[] { 127, 0, 0, 1 }),
            ForwardTsnSupportedParameter.Instance,
            new SupportedExtensionsParameter([0x82, 0xC0]),
        ]);
        server.HandleInput(TimeSpan.Zero, new SctpPacket(5000, 5000, 0, [init]).ToArray());
        Assert.True(server.TryPollTransmit(out var reply));
        Assert.True(SctpPacket.TryParse(reply.Span, out var packet, out _));
        var ack = (InitAckChunk)packet!.Chunks[0];
        Assert.Empty(ack.Parameters.OfType<UnrecognizedParameter>());
        server.HandleInput(TimeSpan.FromMilliseconds(1), new SctpPacket(5000, 5000, ack.InitiateTag, [new CookieEchoChunk(ack.FindParameter<StateCookieParameter>()!.Cookie)]).ToArray());
        Assert.True(server.IsEstablished);
        Assert.True(server.PeerSupportsPartialReliability);
    }

    [Fact]
    public void Server_InitWithUnknownStopParameter_IgnoresParametersAfterIt()
    {
        var server = new SctpAssociation(new SctpOptions(), new SeededSctpRandomSource(15));
        var init = new InitChunk(0x44444444, 65536, 8, 8, 500, [new UnknownParameter(0x0123, new byte[4]), ForwardTsnSupportedParameter.Instance]);
        server.HandleInput(TimeSpan.Zero, new SctpPacket(5000, 5000, 0, [init]).ToArray());
        Assert.True(server.TryPollTransmit(out var reply));
        Assert.True(SctpPacket.TryParse(reply.Span, out var packet, out _));
        var ack = (InitAckChunk)packet!.Chunks[0];
        server.HandleInput(TimeSpan.FromMilliseconds(1), new SctpPacket(5000, 5000, ack.InitiateTag, [new CookieEchoChunk(ack.FindParameter<StateCookieParameter>()!.Cookie)]).ToArray());
        Assert.True(server.IsEstablished);
        Assert.False(server.PeerSupportsPartialReliability);
        Assert.Equal(SctpSendResult.Queued, server.Send(TimeSpan.FromMilliseconds(2), 1, 53, new byte[1], true, SctpReliability.MaxRetransmits(0)));
    }

    private static (SctpAssociation Server, uint Tag) HandshakeRawPeer(SctpOptions options, uint peerInitialTsn)
    {
        var server = new SctpAssociation(options, new SeededSctpRandomSource(16));
        var init = new InitChunk(0x55555555, 1 << 20, 16, 16, peerInitialTsn, [ForwardTsnSupportedParameter.Instance, new SupportedExtensionsParameter([0x82, 0xC0])]);
        server.HandleInput(TimeSpan.Zero, new SctpPacket(5000, 5000, 0, [init]).ToArray());
        Assert.True(server.TryPollTransmit(out var reply));
        Assert.True(SctpPacket.TryParse(reply.Span, out var packet, out _));
        var ack = (InitAckChunk)packet!.Chunks[0];
        server.HandleInput(TimeSpan.FromMilliseconds(1), new SctpPacket(5000, 5000, ack.InitiateTag, [new CookieEchoChunk(ack.FindParameter<StateCookieParameter>()!.Cookie)]).ToArray());
        Assert.True(server.IsEstablished);
        while (server.TryPollTransmit(out _))
        {
        }

        return (server, ack.InitiateTag);
    }

    [Fact]
    public void HostilePeer_SkipsSsnWithTinyContiguousChunks_ReceiveMemoryStaysBounded()
    {
        var options = new SctpOptions { ReceiveBufferSize = 64 * 1024, MaxMessageSize = 16 * 1024 };
        var (server, tag) = HandshakeRawPeer(options, 1000);
        var tsn = 1000u;
        uint lastCum = 0;
        for (var packetIndex = 0; packetIndex < 400; packetIndex++)
        {
            // 60 one-byte ordered messages per packet, SSNs starting at 1 so SSN 0 never arrives.
            var chunks = new List<SctpChunk>();
            for (var i = 0; i < 60; i++)
            {
                var ssn = (ushort)(tsn - 999);
                chunks.Add(new DataChunk(tsn++, 0, ssn, 53, new byte[] { 1 }, false, true, true));
            }

            server.HandleInput(TimeSpan.FromMilliseconds(2 + packetIndex), new SctpPacket(5000, 5000, tag, chunks).ToArray());
            while (server.TryPollTransmit(out var bytes))
            {
                Assert.True(SctpPacket.TryParse(bytes.Span, out var p, out _));
                foreach (var sack in p!.Chunks.OfType<SackChunk>())
                {
                    lastCum = sack.CumulativeTsnAck;
                }
            }
        }

        var cap = options.ReceiveBufferSize + options.MaxMessageSize + (options.MaxMessageSize / 4);
        Assert.InRange(server.ReceiveBuffered, options.ReceiveBufferSize, cap);
        Assert.True((int)(tsn - 1 - lastCum) > 0, "chunks beyond the hard cap must not be acknowledged");
        Assert.Equal(SctpState.Established, server.State);
        var events = new List<SctpEvent>();
        while (server.TryPollEvent(out var ev))
        {
            events.Add(ev!);
        }

        Assert.DoesNotContain(events, e => e is SctpMessageReceived);
    }

    private static List<SctpChunk> Drain(SctpAssociation association)
    {
        var chunks = new List<SctpChunk>();
        while (association.TryPollTransmit(out var bytes))
        {
            Assert.True(SctpPacket.TryParse(bytes.Span, out var p, out _));
            chunks.AddRange(p!.Chunks);
        }

        return chunks;
    }

    [Fact]
    public void ReConfig_PeerIncomingResetRequest_AnsweredAndOurOutgoingResetSent()
    {
        var (server, tag) = HandshakeRawPeer(new SctpOptions(), 7000);
        var now = TimeSpan.FromMilliseconds(10);
        server.HandleInput(now, new SctpPacket(5000, 5000, tag, [new ReConfigChunk([new IncomingSsnResetRequestParameter(7000, [3])])]).ToArray());
        var parameters = Drain(server).OfType<ReConfigChunk>().SelectMany(c => c.Parameters).ToList();
        var response = parameters.OfType<ReConfigResponseParameter>().Single();
        Assert.Equal((7000u, ReConfigResult.SuccessPerformed), (response.ResponseSequenceNumber, response.Result));
        var request = parameters.OfType<OutgoingSsnResetRequestParameter>().Single();
        Assert.Equal([(ushort)3], request.StreamIds);

        // A request with a sequence number from nowhere is refused, and a repeat of the last one gets the same answer.
        server.HandleInput(now, new SctpPacket(5000, 5000, tag, [new ReConfigChunk([new OutgoingSsnResetRequestParameter(9999, 0, 6999, [3])])]).ToArray());
        Assert.Equal(ReConfigResult.ErrorBadSequenceNumber, Drain(server).OfType<ReConfigChunk>().SelectMany(c => c.Parameters).OfType<ReConfigResponseParameter>().Single().Result);
        server.HandleInput(now, new SctpPacket(5000, 5000, tag, [new ReConfigChunk([new IncomingSsnResetRequestParameter(7000, [3])])]).ToArray());
        Assert.Equal(ReConfigResult.SuccessPerformed, Drain(server).OfType<ReConfigChunk>().SelectMany(c => c.Parameters).OfType<ReConfigResponseParameter>().Single().Result);
    }

    [Fact]
    public void ReConfig_PeerResetBeforeItsDataArrived_InProgressThenPerformed()
    {
        var (server, tag) = HandshakeRawPeer(new SctpOptions(), 100);
        var now = TimeSpan.FromMilliseconds(10);
        // The peer sent TSN 100 on stream 1 (lost so far) and then asks to reset stream 1 after TSN 100.
        server.HandleInput(now, new SctpPacket(5000, 5000, tag, [new ReConfigChunk([new OutgoingSsnResetRequestParameter(100, 0, 100, [1])])]).ToArray());
        Assert.Equal(ReConfigResult.InProgress, Drain(server).OfType<ReConfigChunk>().SelectMany(c => c.Parameters).OfType<ReConfigResponseParameter>().Single().Result);

        server.HandleInput(now, new SctpPacket(5000, 5000, tag, [new DataChunk(100, 1, 0, 53, new byte[] { 42 }, false, true, true)]).ToArray());
        var chunks = Drain(server);
        var response = chunks.OfType<ReConfigChunk>().SelectMany(c => c.Parameters).OfType<ReConfigResponseParameter>().Single();
        Assert.Equal((100u, ReConfigResult.SuccessPerformed), (response.ResponseSequenceNumber, response.Result));
        var events = new List<SctpEvent>();
        while (server.TryPollEvent(out var ev))
        {
            events.Add(ev!);
        }

        var message = events.OfType<SctpMessageReceived>().Single();
        Assert.Equal([42], message.Payload);
        Assert.Equal(1, events.OfType<SctpIncomingStreamReset>().Single().StreamId);
        Assert.True(events.IndexOf(message) < events.FindIndex(e => e is SctpIncomingStreamReset), "data sent before the reset is delivered first");
    }
}
