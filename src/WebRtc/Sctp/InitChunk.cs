namespace Enslavism.WebRtc.Sctp;

/// <summary>INIT chunk, RFC 9260 §3.3.2.</summary>
public sealed class InitChunk(uint initiateTag, uint advertisedReceiverWindowCredit, ushort outboundStreams, ushort inboundStreams, uint initialTsn, IReadOnlyList<SctpParameter> parameters)
    : InitChunkBase(initiateTag, advertisedReceiverWindowCredit, outboundStreams, inboundStreams, initialTsn, parameters)
{
    public override byte TypeCode => (byte)SctpChunkType.Init;

    internal static bool TryParseValue(ReadOnlySpan<byte> v, out SctpChunk? chunk, out SctpParseError error)
    {
        chunk = null;
        if (!TryParseFixed(v, "INIT", out var f, out var parameters, out error))
        {
            return false;
        }

        chunk = new InitChunk(f.Tag, f.Rwnd, f.Os, f.Mis, f.Tsn, parameters);
        return true;
    }
}
