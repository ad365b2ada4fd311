namespace Enslavism.WebRtc.Sctp;

/// <summary>HEARTBEAT chunk, RFC 9260 §3.3.5.</summary>
public sealed class HeartbeatChunk(ReadOnlyMemory<byte> info) : HeartbeatChunkBase(info)
{
    public override byte TypeCode => (byte)SctpChunkType.Heartbeat;

    internal static bool TryParseValue(ReadOnlySpan<byte> v, out SctpChunk? chunk, out SctpParseError error)
    {
        chunk = TryParseInfo(v, out var info, out error) ? new HeartbeatChunk(info) : null;
        return chunk != null;
    }
}
