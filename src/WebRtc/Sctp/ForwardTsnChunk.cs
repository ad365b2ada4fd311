namespace Enslavism.WebRtc.Sctp;

/// <summary>FORWARD-TSN chunk (192), RFC 3758 §3.2: tells the receiver to move its cumulative TSN forward.</summary>
public sealed class ForwardTsnChunk(uint newCumulativeTsn, IReadOnlyList<ForwardTsnStream> streams) : SctpChunk
{
    public uint NewCumulativeTsn { get; } = newCumulativeTsn;

    public IReadOnlyList<ForwardTsnStream> Streams { get; } = streams;

    public override byte TypeCode => (byte)SctpChunkType.ForwardTsn;

    public override int ValueLength => 4 + (4 * Streams.Count);

    internal static bool TryParseValue(ReadOnlySpan<byte> v, out SctpChunk? chunk, out SctpParseError error)
    {
        chunk = null;
        if (v.Length < 4 || (v.Length - 4) % 4 != 0)
        {
            error = SctpParseError.BadLength("FORWARD-TSN chunk");
            return false;
        }

        var streams = new ForwardTsnStream[(v.Length - 4) / 4];
        for (var i = 0; i < streams.Length; i++)
        {
            streams[i] = new ForwardTsnStream(SctpWire.ReadU16(v, 4 + (4 * i)), SctpWire.ReadU16(v, 6 + (4 * i)));
        }

        chunk = new ForwardTsnChunk(SctpWire.ReadU32(v, 0), streams);
        error = default;
        return true;
    }

    private protected override void WriteValue(Span<byte> destination)
    {
        SctpWire.WriteU32(destination, 0, NewCumulativeTsn);
        for (var i = 0; i < Streams.Count; i++)
        {
            SctpWire.WriteU16(destination, 4 + (4 * i), Streams[i].StreamId);
            SctpWire.WriteU16(destination, 6 + (4 * i), Streams[i].Ssn);
        }
    }
}
