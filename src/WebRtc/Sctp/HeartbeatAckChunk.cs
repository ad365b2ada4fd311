namespace Enslavism.WebRtc.Sctp;

/// <summary>HEARTBEAT-ACK chunk, RFC 9260 §3.3.6: echoes the Heartbeat Info of the HEARTBEAT.</summary>
public sealed class HeartbeatAckChunk(ReadOnlyMemory<byte> info) : HeartbeatChunkBase(info)
{
    public override byte TypeCode => (byte)SctpChunkType.HeartbeatAck;

    internal static bool TryParseValue(ReadOnlySpan<byte> v, out SctpChunk? chunk, out SctpParseError error)
    {
        chunk = TryParseInfo(v, out var info, out error) ? new HeartbeatAckChunk(info) : null;
        return chunk != null;
    }
}
