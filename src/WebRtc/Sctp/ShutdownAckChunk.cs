namespace Enslavism.WebRtc.Sctp;

/// <summary>SHUTDOWN-ACK chunk, RFC 9260 §3.3.9; no value.</summary>
public sealed class ShutdownAckChunk : SctpChunk
{
    public static ShutdownAckChunk Instance { get; } = new();

    public override byte TypeCode => (byte)SctpChunkType.ShutdownAck;

    public override int ValueLength => 0;

    private protected override void WriteValue(Span<byte> destination)
    {
    }
}
