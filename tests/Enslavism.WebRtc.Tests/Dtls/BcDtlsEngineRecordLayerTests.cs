using System.Buffers.Binary;
using Enslavism.WebRtc.Dtls;

namespace Enslavism.WebRtc.Tests.Dtls;

/// <summary>
/// The engine's own record layer after a real BC handshake: invalid records are discarded and counted (RFC 6347
/// §4.1.2.7), the session carries on, sequence numbers continue after BC's Finished, close_notify both ways.
/// </summary>
public sealed class BcDtlsEngineRecordLayerTests
{
    public enum Damage
    {
        ForgedTag,
        FlippedTypeByte,
        FlippedSequenceByte,
        FlippedVersionByte,
        WrongEpoch,
        Replayed,
        Truncated,
        LengthBeyondDatagram,
        LengthShorterThanOverhead,
    }

    [Theory]
    [InlineData(Damage.ForgedTag)]
    [InlineData(Damage.FlippedTypeByte)]
    [InlineData(Damage.FlippedSequenceByte)]
    [InlineData(Damage.FlippedVersionByte)]
    [InlineData(Damage.WrongEpoch)]
    [InlineData(Damage.Replayed)]
    [InlineData(Damage.Truncated)]
    [InlineData(Damage.LengthBeyondDatagram)]
    [InlineData(Damage.LengthShorterThanOverhead)]
    public void HandleInput_DamagedRecord_IsDroppedCountedAndNextGenuineRecordDelivered(Damage damage)
    {
        using var pair = EnginePair.Create();
        pair.Handshake();
        var server = (BcDtlsEngine)pair.Server;
        pair.ServerEvents.Clear();
        var genuine = ClientRecord(pair, [1, 2, 3, 4]);
        var before = Counters(server);
        var damaged = (byte[])genuine.Clone();
        switch (damage)
        {
            case Damage.ForgedTag:
                damaged[^1] ^= 0x80;
                break;
            case Damage.FlippedTypeByte:
                damaged[0] = 22; // handshake: the type is in the AAD, so authentication fails
                break;
            case Damage.FlippedSequenceByte:
                damaged[9] ^= 0x01; // a fresh, unseen sequence number
                break;
            case Damage.FlippedVersionByte:
                damaged[2] = 0xFF; // DTLS 1.0: not a record of our epoch state
                break;
            case Damage.WrongEpoch:
                damaged[4] = 2;
                break;
            case Damage.Replayed:
                server.HandleInput(pair.Now, genuine);
                break;
            case Damage.Truncated:
                damaged = damaged[..^5];
                break;
            case Damage.LengthBeyondDatagram:
                BinaryPrimitives.WriteUInt16BigEndian(damaged.AsSpan(11), (ushort)(damaged.Length - 13 + 1));
                break;
            case Damage.LengthShorterThanOverhead:
                BinaryPrimitives.WriteUInt16BigEndian(damaged.AsSpan(11), 10);
                damaged = damaged[..(13 + 10)];
                break;
        }

        if (damage == Damage.Replayed)
        {
            Assert.Equal([1, 2, 3, 4], Assert.IsType<DtlsApplicationData>(Assert.Single(Drain(server))).Data.ToArray());
        }

        server.HandleInput(pair.Now, damaged);

        Assert.Empty(Drain(server));
        Assert.Equal(DtlsEngineState.Connected, server.State);
        var after = Counters(server);
        var expected = damage switch
        {
            Damage.ForgedTag or Damage.FlippedTypeByte or Damage.FlippedSequenceByte => before with { Auth = before.Auth + 1 },
            Damage.Replayed => before with { Replay = before.Replay + 1 },
            Damage.WrongEpoch or Damage.FlippedVersionByte => before with { Filtered = before.Filtered + 1 },
            _ => before with { Malformed = before.Malformed + 1 },
        };
        Assert.Equal(expected, after);

        if (damage != Damage.Replayed)
        {
            server.HandleInput(pair.Now, genuine); // the damaged copy must not have burnt its sequence number
            Assert.Equal([1, 2, 3, 4], Assert.IsType<DtlsApplicationData>(Assert.Single(Drain(server))).Data.ToArray());
        }

        server.HandleInput(pair.Now, ClientRecord(pair, [5]));
        Assert.Equal([5], Assert.IsType<DtlsApplicationData>(Assert.Single(Drain(server))).Data.ToArray());
    }

    [Fact]
    public void HandleInput_SeveralRecordsInOneDatagram_AllDeliveredInOrder()
    {
        using var pair = EnginePair.Create();
        pair.Handshake();
        var server = (BcDtlsEngine)pair.Server;
        pair.ServerEvents.Clear();
        byte[] datagram = [.. ClientRecord(pair, [1]), .. ClientRecord(pair, [2, 2]), .. ClientRecord(pair, [3, 3, 3])];

        server.HandleInput(pair.Now, datagram);

        Assert.Equal(
            [[1], [2, 2], [3, 3, 3]],
            Drain(server).Cast<DtlsApplicationData>().Select(e => e.Data.ToArray()).ToArray());
    }

    [Fact]
    public void Send_FirstRecordsAfterHandshake_ContinueAfterEachSidesFinishedSequence()
    {
        using var pair = EnginePair.Create();
        pair.Handshake();
        var serverFinished = pair.ServerToClient.SelectMany(Records).Where(h => h.Epoch == 1).Max(h => h.SequenceNumber);
        var clientFinished = pair.ClientToServer.SelectMany(Records).Where(h => h.Epoch == 1).Max(h => h.SequenceNumber);

        Assert.Equal(DtlsSendResult.Sent, pair.Server.Send([1]));
        Assert.Equal(DtlsSendResult.Sent, pair.Client.Send([2]));
        Assert.True(pair.Server.TryPollTransmit(out var fromServer));
        Assert.True(pair.Client.TryPollTransmit(out var fromClient));

        Assert.Equal(serverFinished + 1, Assert.Single(Records(fromServer.ToArray())).SequenceNumber);
        Assert.Equal(clientFinished + 1, Assert.Single(Records(fromClient.ToArray())).SequenceNumber);
    }

    [Fact]
    public void SendTo_CallerBuffer_ProducesRecordThePeerOpens()
    {
        using var pair = EnginePair.Create();
        pair.Handshake();
        var client = (BcDtlsEngine)pair.Client;
        var server = (BcDtlsEngine)pair.Server;
        pair.ServerEvents.Clear();
        Assert.Equal(13 + 8 + 16, client.RecordOverhead);
        var buffer = new byte[1200];

        Assert.Equal(DtlsSendResult.Sent, client.SendTo([9, 9, 9], buffer, out var written));
        Assert.Equal(3 + client.RecordOverhead, written);
        Assert.False(client.TryPollTransmit(out _));
        Assert.Throws<ArgumentException>(() => client.SendTo(new byte[100], new byte[100], out _));
        Assert.Equal(DtlsSendResult.TooLarge, client.SendTo(new byte[client.MaxApplicationDataSize + 1], new byte[2000], out _));
        server.HandleInput(pair.Now, buffer.AsSpan(0, written));

        Assert.Equal([9, 9, 9], Assert.IsType<DtlsApplicationData>(Assert.Single(Drain(server))).Data.ToArray());
    }

    [Fact]
    public void Close_ByServer_SendsEncryptedCloseNotifyAndClientReportsClosedByPeer()
    {
        using var pair = EnginePair.Create();
        pair.Handshake();
        pair.ServerEvents.Clear();
        pair.ClientEvents.Clear();

        pair.Server.Close();
        Assert.True(pair.Server.TryPollTransmit(out var closeNotify));
        var header = Assert.Single(Records(closeNotify.ToArray()));
        Assert.Equal(DtlsContentType.Alert, header.ContentType);
        Assert.Equal(1, header.Epoch);
        Assert.Equal(2 + 8 + 16, header.Length); // encrypted, not a plaintext alert
        pair.Client.HandleInput(pair.Now, closeNotify.Span);
        pair.Pump();

        Assert.Equal(new DtlsClosed(ByPeer: false), Assert.Single(pair.ServerEvents));
        Assert.Equal(new DtlsClosed(ByPeer: true), Assert.Single(pair.ClientEvents));
        Assert.Equal(DtlsEngineState.Closed, pair.Client.State);
        Assert.Equal(DtlsSendResult.NotConnected, pair.Client.Send([1]));
    }

    [Fact]
    public void HandleInput_PlaintextEpoch0AlertAfterHandshake_IsIgnored()
    {
        // Epoch-0 alerts are unauthenticated: anyone could send a fatal one.
        using var pair = EnginePair.Create();
        pair.Handshake();
        var server = (BcDtlsEngine)pair.Server;
        var before = server.FilteredRecords;

        server.HandleInput(pair.Now, DtlsRecordScannerTests.Record(DtlsContentType.Alert, 0, [2, 40]));

        Assert.Equal(DtlsEngineState.Connected, server.State);
        Assert.Equal(before + 1, server.FilteredRecords);
    }

    [Fact]
    public void HandleInput_SeededFuzzOfGenuineRecords_NeverThrowsNorEndsSession()
    {
        using var pair = EnginePair.Create();
        pair.Handshake();
        var server = (BcDtlsEngine)pair.Server;
        pair.ServerEvents.Clear();
        var random = new Random(6347);
        var delivered = 0;
        for (var i = 0; i < 3000; i++)
        {
            var genuine = ClientRecord(pair, RandomBytes(random, random.Next(0, 300)));
            var datagram = Mutate(random, genuine);
            server.HandleInput(pair.Now, datagram);
            foreach (var e in Drain(server))
            {
                Assert.IsType<DtlsApplicationData>(e);
                delivered++;
            }
        }

        Assert.Equal(DtlsEngineState.Connected, server.State);
        Assert.InRange(delivered, 1, 2999);
        Assert.True(server.AuthenticationFailures > 0 && server.MalformedRecords > 0 && server.ReplayedRecords > 0);
        server.HandleInput(pair.Now, ClientRecord(pair, [42]));
        Assert.Equal([42], Assert.IsType<DtlsApplicationData>(Assert.Single(Drain(server))).Data.ToArray());
    }

    private static byte[] Mutate(Random random, byte[] genuine)
    {
        var bytes = (byte[])genuine.Clone();
        switch (random.Next(6))
        {
            case 0:
                return bytes; // untouched: must be delivered
            case 1:
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)random.Next(1, 256);
                }

                return bytes;
            case 2:
                return bytes[..random.Next(0, bytes.Length)];
            case 3:
                return [.. bytes, .. RandomBytes(random, random.Next(1, 40))];
            case 4:
                return [.. bytes, .. bytes]; // the second copy is a replay
            default:
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(11), (ushort)random.Next(0, 20000));
                return bytes;
        }
    }

    private static byte[] ClientRecord(EnginePair pair, byte[] payload)
    {
        Assert.Equal(DtlsSendResult.Sent, pair.Client.Send(payload));
        Assert.True(pair.Client.TryPollTransmit(out var record));
        return record.ToArray();
    }

    private static List<DtlsEvent> Drain(BcDtlsEngine engine)
    {
        var events = new List<DtlsEvent>();
        while (engine.TryPollEvent(out var e))
        {
            events.Add(e);
        }

        return events;
    }

    private static List<DtlsRecordHeader> Records(byte[] datagram)
    {
        var headers = new List<DtlsRecordHeader>();
        var rest = datagram.AsSpan();
        while (DtlsRecordHeader.TryParse(rest, out var header, out _))
        {
            headers.Add(header);
            rest = rest[(DtlsRecordHeader.Size + header.Length)..];
        }

        return headers;
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static CounterSnapshot Counters(BcDtlsEngine engine) =>
        new(engine.AuthenticationFailures, engine.ReplayedRecords, engine.MalformedRecords, engine.FilteredRecords);

    private readonly record struct CounterSnapshot(long Auth, long Replay, long Malformed, long Filtered);
}
