namespace Enslavism.WebRtc.Sctp;

/// <summary>SHUTDOWN chunk, RFC 9260 §3.3.8: carries the sender's cumulative TSN ack.</summary>
public sealed class ShutdownChunk(uint cumulativeTsnAck) : SctpChunk
{
    public uint CumulativeTsnAck { get; } = cumulativeTsnAck;

    public override byte TypeCode => (byte)SctpChunkType.Shutdown;

    public override int ValueLength => 4;

    internal static bool TryParseValue(ReadOnlySpan<byte> v, out SctpChunk? chunk, out SctpParseError error)
    {
        chunk = null;
        if (v.Length != 4)
        {
            error = SctpParseError.BadLength("SHUTDOWN chunk");
            return false;
        }

        chunk = new ShutdownChunk(SctpWire.ReadU32(v, 0));
        error = default;
        return true;
    }

    private protected override void WriteValue(Span<byte> destination) => SctpWire.WriteU32(destination, 0, CumulativeTsnAck);
}
