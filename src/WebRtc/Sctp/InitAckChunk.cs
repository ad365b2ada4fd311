namespace Enslavism.WebRtc.Sctp;

/// <summary>INIT-ACK chunk, RFC 9260 §3.3.3; must carry a State Cookie parameter.</summary>
public sealed class InitAckChunk(uint initiateTag, uint advertisedReceiverWindowCredit, ushort outboundStreams, ushort inboundStreams, uint initialTsn, IReadOnlyList<SctpParameter> parameters)
    : InitChunkBase(initiateTag, advertisedReceiverWindowCredit, outboundStreams, inboundStreams, initialTsn, parameters)
{
    public override byte TypeCode => (byte)SctpChunkType.InitAck;

    internal static bool TryParseValue(ReadOnlySpan<byte> v, out SctpChunk? chunk, out SctpParseError error)
    {
        chunk = null;
        if (!TryParseFixed(v, "INIT-ACK", out var f, out var parameters, out error))
        {
            return false;
        }

        chunk = new InitAckChunk(f.Tag, f.Rwnd, f.Os, f.Mis, f.Tsn, parameters);
        return true;
    }
}
