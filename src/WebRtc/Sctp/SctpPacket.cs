using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Enslavism.WebRtc.Sctp;

/// <summary>
/// SCTP packet: common header (RFC 9260 §3.1) followed by chunks. The CRC-32C (RFC 9260 Appendix B) covers the whole
/// packet with the checksum field zeroed and is stored little-endian (the byte order every WebRTC stack accepts).
/// </summary>
public sealed class SctpPacket(ushort sourcePort, ushort destinationPort, uint verificationTag, IReadOnlyList<SctpChunk> chunks)
{
    public const int CommonHeaderLength = 12;

    /// <summary>Chunks per packet are bounded by the packet size anyway; this caps allocation on tiny chunks.</summary>
    public const int MaxChunks = 512;

    public ushort SourcePort { get; } = sourcePort;

    public ushort DestinationPort { get; } = destinationPort;

    public uint VerificationTag { get; } = verificationTag;

    public IReadOnlyList<SctpChunk> Chunks { get; } = chunks;

    public int EncodedLength
    {
        get
        {
            // Indexed loops: foreach over the IReadOnlyList would box the list's enumerator on every packet.
            var chunks = Chunks;
            var length = CommonHeaderLength;
            for (var i = 0; i < chunks.Count; i++)
            {
                length += chunks[i].PaddedLength;
            }

            return length;
        }
    }

    public byte[] ToArray()
    {
        var buffer = new byte[EncodedLength];
        Encode(buffer);
        return buffer;
    }

    public int Encode(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, SourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], DestinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], VerificationTag);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], 0);
        var chunks = Chunks;
        var offset = CommonHeaderLength;
        for (var i = 0; i < chunks.Count; i++)
        {
            offset += chunks[i].WriteTo(destination[offset..]);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], ComputeChecksum(destination[..offset]));
        return offset;
    }

    /// <summary>CRC-32C over the packet with the checksum field treated as zero.</summary>
    public static uint ComputeChecksum(ReadOnlySpan<byte> packet)
    {
        var crc = 0xFFFFFFFFu;
        crc = Crc32C(crc, packet[..8]);
        crc = BitOperations.Crc32C(crc, 0u);
        crc = Crc32C(crc, packet[12..]);
        return ~crc;
    }

    /// <summary>Plain CRC-32C (Castagnoli) of a buffer, as in RFC 3720 Appendix B.4.</summary>
    internal static uint ComputeCrc32C(ReadOnlySpan<byte> data) => ~Crc32C(0xFFFFFFFFu, data);

    // Fully optimised from the first call: a hot loop left to tiering runs for a long time in tier-0/instrumented code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static uint Crc32C(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return crc;
    }

    private static bool TryCountChunks(ReadOnlySpan<byte> data, out int count, out SctpParseError error)
    {
        count = 0;
        var offset = CommonHeaderLength;
        while (offset < data.Length)
        {
            if (data.Length - offset < 4)
            {
                if (data[offset..].ContainsAnyExcept((byte)0))
                {
                    error = SctpParseError.TooShort("chunk header");
                    return false;
                }

                break;
            }

            var type = data[offset];
            var length = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 2)..]);
            if (length < 4 || offset + length > data.Length)
            {
                error = SctpParseError.BadLength("chunk " + type);
                return false;
            }

            if (count >= MaxChunks)
            {
                error = SctpParseError.Invalid("too many chunks");
                return false;
            }

            count++;
            offset += SctpWire.Pad4(length);
        }

        if (count == 0)
        {
            error = SctpParseError.Invalid("packet without chunks");
            return false;
        }

        error = default;
        return true;
    }

    /// <summary>Decodes a whole packet; never throws on malformed input.</summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out SctpPacket? packet, out SctpParseError error, bool verifyChecksum = true) =>
        TryParse(data, default, out packet, out error, verifyChecksum);

    /// <summary>
    /// <see cref="TryParse(ReadOnlySpan{byte}, out SctpPacket?, out SctpParseError, bool)"/> of memory the caller gives
    /// up for good (never writes to it again): DATA chunks that carry most of the packet keep their user data as a
    /// slice of it instead of a copy. Small chunks are still copied, so a peer cannot pin a whole packet buffer per byte
    /// of reassembly it is charged for.
    /// </summary>
    internal static bool TryParseOwned(ReadOnlyMemory<byte> data, out SctpPacket? packet, out SctpParseError error) =>
        TryParse(data.Span, data, out packet, out error, verifyChecksum: true);

    private static bool TryParse(ReadOnlySpan<byte> data, ReadOnlyMemory<byte> owned, out SctpPacket? packet, out SctpParseError error, bool verifyChecksum)
    {
        packet = null;
        if (data.Length < CommonHeaderLength + 4)
        {
            error = SctpParseError.TooShort("SCTP packet");
            return false;
        }

        if (verifyChecksum && BinaryPrimitives.ReadUInt32LittleEndian(data[8..]) != ComputeChecksum(data))
        {
            error = new SctpParseError(SctpParseErrorKind.BadChecksum, "CRC-32C mismatch");
            return false;
        }

        // Two passes: the first validates the chunk framing and counts, so the chunk array is allocated once at its
        // exact size (a growing list costs several arrays per packet).
        if (!TryCountChunks(data, out var count, out error))
        {
            return false;
        }

        var chunks = new SctpChunk[count];
        var offset = CommonHeaderLength;
        for (var i = 0; i < count; i++)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 2)..]);
            var value = data.Slice(offset + 4, length - 4);
            var parsed = !owned.IsEmpty && data[offset] == (byte)SctpChunkType.Data && 2 * value.Length >= data.Length
                ? DataChunk.TryParseValue(data[offset + 1], value, owned.Slice(offset + 4, length - 4), out var chunk, out error)
                : SctpChunkReader.TryParse(data[offset], data[offset + 1], value, out chunk, out error);
            if (!parsed)
            {
                return false;
            }

            chunks[i] = chunk!;
            offset += SctpWire.Pad4(length);
        }

        packet = new SctpPacket(
            BinaryPrimitives.ReadUInt16BigEndian(data),
            BinaryPrimitives.ReadUInt16BigEndian(data[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(data[4..]),
            chunks);
        error = default;
        return true;
    }
}
