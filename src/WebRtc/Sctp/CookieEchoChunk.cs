namespace Enslavism.WebRtc.Sctp;

/// <summary>COOKIE-ECHO chunk, RFC 9260 §3.3.11: returns the State Cookie received in INIT-ACK.</summary>
public sealed class CookieEchoChunk(ReadOnlyMemory<byte> cookie) : SctpChunk
{
    public ReadOnlyMemory<byte> Cookie { get; } = cookie;

    public override byte TypeCode => (byte)SctpChunkType.CookieEcho;

    public override int ValueLength => Cookie.Length;

    private protected override void WriteValue(Span<byte> destination) => Cookie.Span.CopyTo(destination);
}
