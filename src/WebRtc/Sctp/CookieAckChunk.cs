namespace Enslavism.WebRtc.Sctp;

/// <summary>COOKIE-ACK chunk, RFC 9260 §3.3.12; no value.</summary>
public sealed class CookieAckChunk : SctpChunk
{
    public static CookieAckChunk Instance { get; } = new();

    public override byte TypeCode => (byte)SctpChunkType.CookieAck;

    public override int ValueLength => 0;

    private protected override void WriteValue(Span<byte> destination)
    {
    }
}
