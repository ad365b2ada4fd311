using System.Buffers.Binary;

namespace Enslavism.WebRtc.Sctp;

/// <summary>Shared TLV helpers: chunks and parameters are padded to 4 bytes (RFC 9260 §3.2, §3.2.1).</summary>
internal static class SctpWire
{
    public static int Pad4(int length) => (length + 3) & ~3;

    /// <summary>
    /// Length of a parameter list as counted inside a chunk length: every parameter is padded except the last,
    /// whose padding is excluded from the chunk length (RFC 9260 §3.2).
    /// </summary>
    public static int ParameterListLength(IReadOnlyList<SctpParameter> parameters)
    {
        var total = 0;
        for (var i = 0; i < parameters.Count; i++)
        {
            total += i == parameters.Count - 1 ? parameters[i].Length : parameters[i].PaddedLength;
        }

        return total;
    }

    public static void WriteParameterList(IReadOnlyList<SctpParameter> parameters, Span<byte> destination)
    {
        var offset = 0;
        for (var i = 0; i < parameters.Count; i++)
        {
            var written = parameters[i].WriteTo(destination[offset..], pad: i != parameters.Count - 1);
            offset += written;
        }
    }

    public static ushort ReadU16(ReadOnlySpan<byte> s, int offset) => BinaryPrimitives.ReadUInt16BigEndian(s[offset..]);

    public static uint ReadU32(ReadOnlySpan<byte> s, int offset) => BinaryPrimitives.ReadUInt32BigEndian(s[offset..]);

    public static void WriteU16(Span<byte> s, int offset, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(s[offset..], value);

    public static void WriteU32(Span<byte> s, int offset, uint value) => BinaryPrimitives.WriteUInt32BigEndian(s[offset..], value);
}
