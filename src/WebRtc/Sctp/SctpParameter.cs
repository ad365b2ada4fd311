namespace Enslavism.WebRtc.Sctp;

/// <summary>Base of a TLV parameter: Type (2) Length (2) Value, padded to 4 bytes (RFC 9260 §3.2.1).</summary>
public abstract class SctpParameter
{
    private protected SctpParameter()
    {
    }

    public abstract ushort TypeCode { get; }

    public abstract int ValueLength { get; }

    public int Length => 4 + ValueLength;

    public int PaddedLength => SctpWire.Pad4(Length);

    public int WriteTo(Span<byte> destination, bool pad)
    {
        SctpWire.WriteU16(destination, 0, TypeCode);
        SctpWire.WriteU16(destination, 2, checked((ushort)Length));
        WriteValue(destination.Slice(4, ValueLength));
        if (!pad)
        {
            return Length;
        }

        destination[Length..PaddedLength].Clear();
        return PaddedLength;
    }

    private protected abstract void WriteValue(Span<byte> destination);
}
