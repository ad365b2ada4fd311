using System.Buffers.Binary;

namespace Enslavism.WebRtc.Dtls;

/// <summary>
/// DTLS 1.2 record header, RFC 6347 §4.1: type(1) version(2) epoch(2) sequence_number(6) length(2).
/// Only the header is read here; the (usually encrypted) fragment is BouncyCastle's during the handshake and
/// <see cref="DtlsRecordLayer"/>'s afterwards.
/// </summary>
public readonly record struct DtlsRecordHeader(
    DtlsContentType ContentType, ushort Version, ushort Epoch, ulong SequenceNumber, ushort Length)
{
    public const int Size = 13;

    /// <summary>RFC 6347 §4.1.1: TLSCiphertext.length must not exceed 2^14 + 2048.</summary>
    public const int MaxFragmentLength = (1 << 14) + 2048;

    public const ushort Dtls10Version = 0xFEFF;
    public const ushort Dtls12Version = 0xFEFD;

    private const ulong MaxSequenceNumber = (1UL << 48) - 1;

    /// <summary>
    /// Reads a header from the start of <paramref name="data"/>. Accepts any DTLS version (major byte 0xFE): Chrome
    /// sends its ClientHello in a 0xFEFF record (webrtc-stack.md §3.4).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out DtlsRecordHeader header, out DtlsRecordParseError error)
    {
        header = default;
        if (data.Length < Size)
        {
            error = DtlsRecordParseError.TruncatedHeader;
            return false;
        }

        var type = data[0];
        if (type is < (byte)DtlsContentType.ChangeCipherSpec or > (byte)DtlsContentType.Heartbeat)
        {
            error = DtlsRecordParseError.UnknownContentType;
            return false;
        }

        var version = BinaryPrimitives.ReadUInt16BigEndian(data[1..]);
        if (version >> 8 != 0xFE)
        {
            error = DtlsRecordParseError.NotDtlsVersion;
            return false;
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(data[11..]);
        if (length > MaxFragmentLength)
        {
            error = DtlsRecordParseError.FragmentTooLong;
            return false;
        }

        var sequence = ((ulong)BinaryPrimitives.ReadUInt16BigEndian(data[5..]) << 32)
            | BinaryPrimitives.ReadUInt32BigEndian(data[7..]);
        header = new DtlsRecordHeader(
            (DtlsContentType)type, version, BinaryPrimitives.ReadUInt16BigEndian(data[3..]), sequence, length);
        error = DtlsRecordParseError.None;
        return true;
    }

    /// <summary>Writes the 13 header bytes.</summary>
    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException("Destination shorter than a DTLS record header.", nameof(destination));
        }

        if (SequenceNumber > MaxSequenceNumber)
        {
            throw new InvalidOperationException("DTLS sequence numbers are 48 bits.");
        }

        destination[0] = (byte)ContentType;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], Version);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], Epoch);
        BinaryPrimitives.WriteUInt16BigEndian(destination[5..], (ushort)(SequenceNumber >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(destination[7..], (uint)SequenceNumber);
        BinaryPrimitives.WriteUInt16BigEndian(destination[11..], Length);
    }
}
