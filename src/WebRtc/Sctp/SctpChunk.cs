namespace Enslavism.WebRtc.Sctp;

/// <summary>
/// Base of every chunk: Type (1) Flags (1) Length (2) Value, padded to 4 bytes (RFC 9260 §3.2).
/// The length field counts header + value but not the trailing padding.
/// </summary>
public abstract class SctpChunk
{
    private protected SctpChunk()
    {
    }

    /// <summary>Raw type byte (for unknown chunks it is not one of <see cref="SctpChunkType"/>).</summary>
    public abstract byte TypeCode { get; }

    public virtual byte Flags => 0;

    /// <summary>Bytes of the value, excluding the 4-byte header and the trailing padding.</summary>
    public abstract int ValueLength { get; }

    public int Length => 4 + ValueLength;

    public int PaddedLength => SctpWire.Pad4(Length);

    /// <summary>Writes header, value and zero padding; returns <see cref="PaddedLength"/>.</summary>
    public int WriteTo(Span<byte> destination)
    {
        var length = Length;
        if (length > ushort.MaxValue)
        {
            throw new InvalidOperationException("chunk longer than 65535 bytes");
        }

        destination[0] = TypeCode;
        destination[1] = Flags;
        SctpWire.WriteU16(destination, 2, (ushort)length);
        WriteValue(destination.Slice(4, ValueLength));
        var padded = PaddedLength;
        destination[length..padded].Clear();
        return padded;
    }

    private protected abstract void WriteValue(Span<byte> destination);
}
