using Enslavism.WebRtc.Sctp;

namespace Enslavism.WebRtc.Tests.Sctp;

public sealed class SctpPacketTests
{
    [Fact]
    public void Crc32C_Rfc3720Vectors_Match()
    {
        Assert.Equal(0xE3069283u, SctpPacket.ComputeCrc32C("123456789"u8));
        Assert.Equal(0x8A9136AAu, SctpPacket.ComputeCrc32C(new byte[32]));
        Assert.Equal(0x62A8AB43u, SctpPacket.ComputeCrc32C(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
        Assert.Equal(0x46DD794Eu, SctpPacket.ComputeCrc32C(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));
    }

    [Fact]
    public void Packet_BundledChunks_GoldenBytesWithLittleEndianChecksum()
    {
        // Checksum computed by an independent bitwise CRC-32C and stored little-endian at offset 8.
        const string hex = "13881388123456785DB625790B00000403000010000000010000000200000000";
        var packet = new SctpPacket(5000, 5000, 0x12345678, [CookieAckChunk.Instance, new SackChunk(1, 2, [], [])]);
        Assert.Equal(hex, Convert.ToHexString(packet.ToArray()));
        Assert.True(SctpPacket.TryParse(Convert.FromHexString(hex), out var parsed, out var error), error.Message);
        Assert.Equal((ushort)5000, parsed!.SourcePort);
        Assert.Equal(0x12345678u, parsed.VerificationTag);
        Assert.IsType<CookieAckChunk>(parsed.Chunks[0]);
        Assert.Equal(1u, Assert.IsType<SackChunk>(parsed.Chunks[1]).CumulativeTsnAck);
    }

    [Fact]
    public void Packet_ManyBundledChunks_ParsedInOrderWithExactCount()
    {
        var chunks = Enumerable.Range(0, 40)
            .Select(i => (SctpChunk)new DataChunk((uint)i, 1, (ushort)i, 53, new byte[] { (byte)i, 1, 2 }, false, true, true))
            .Append(new SackChunk(7, 1000, [], []))
            .ToArray();
        var bytes = new SctpPacket(5000, 5000, 9, chunks).ToArray();
        Assert.True(SctpPacket.TryParse(bytes, out var parsed, out var error), error.Message);
        Assert.Equal(41, parsed!.Chunks.Count);
        for (var i = 0; i < 40; i++)
        {
            var data = Assert.IsType<DataChunk>(parsed.Chunks[i]);
            Assert.Equal((uint)i, data.Tsn);
            Assert.Equal(new byte[] { (byte)i, 1, 2 }, data.UserData.ToArray());
        }

        Assert.IsType<SackChunk>(parsed.Chunks[40]);
        Assert.Equal(bytes, parsed.ToArray());
    }

    [Fact]
    public void Packet_ValidChunkThenOverlongChunk_BadLength()
    {
        var bytes = new SctpPacket(5000, 5000, 9, [CookieAckChunk.Instance, CookieAckChunk.Instance]).ToArray();
        bytes[SctpPacket.CommonHeaderLength + 4 + 3] = 40; // second chunk claims 40 bytes, 4 are there
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), 0u);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), SctpPacket.ComputeChecksum(bytes));
        Assert.False(SctpPacket.TryParse(bytes, out var parsed, out var error));
        Assert.Null(parsed);
        Assert.Equal(SctpParseErrorKind.BadLength, error.Kind);
    }

    [Fact]
    public void Packet_BadChecksum_Rejected()
    {
        var bytes = Convert.FromHexString("13881388123456785DB625790B00000403000010000000010000000200000000");
        bytes[8] ^= 1;
        Assert.False(SctpPacket.TryParse(bytes, out _, out var error));
        Assert.Equal(SctpParseErrorKind.BadChecksum, error.Kind);
    }

    [Fact]
    public void Packet_PaddedChunksInMiddle_AndUnpaddedLastChunk_Accepted()
    {
        var data = new DataChunk(1, 0, 0, 51, new byte[] { 1, 2, 3 }, false, true, true);
        var packet = new SctpPacket(5000, 5000, 1, [data, data, new DataChunk(2, 0, 1, 51, new byte[] { 9 }, false, true, true)]);
        var bytes = packet.ToArray();
        Assert.Equal(12 + 20 + 20 + 20, bytes.Length);
        // Drop the last chunk's 3 pad bytes: receivers must tolerate a missing final pad.
        var trimmed = bytes[..^3];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(trimmed.AsSpan(8), SctpPacket.ComputeChecksum(trimmed));
        Assert.True(SctpPacket.TryParse(trimmed, out var parsed, out _));
        Assert.Equal(3, parsed!.Chunks.Count);
        Assert.Equal([1, 2, 3], ((DataChunk)parsed.Chunks[1]).UserData.ToArray());
    }

    [Fact]
    public void Packet_ChunkLengthPastEnd_Rejected()
    {
        var bytes = new SctpPacket(5000, 5000, 1, [CookieAckChunk.Instance]).ToArray();
        bytes[15] = 8;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), SctpPacket.ComputeChecksum(bytes));
        Assert.False(SctpPacket.TryParse(bytes, out _, out var error));
        Assert.Equal(SctpParseErrorKind.BadLength, error.Kind);
    }

    [Fact]
    public void Serial_Arithmetic_WrapsAround()
    {
        Assert.True(SerialNumber.Lt(0xFFFFFFFF, 0));
        Assert.True(SerialNumber.Gt(5, 0xFFFFFFF0));
        Assert.True(SerialNumber.Lt16(65535, 0));
        Assert.False(SerialNumber.Lt16(0, 65535));
        Assert.True(SerialNumber.Lte(7, 7));
    }
}
