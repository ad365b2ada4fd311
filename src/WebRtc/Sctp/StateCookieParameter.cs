namespace Enslavism.WebRtc.Sctp;

/// <summary>State Cookie parameter (7) carried in INIT-ACK, RFC 9260 §3.3.3.1.</summary>
public sealed class StateCookieParameter(ReadOnlyMemory<byte> cookie) : SctpParameter
{
    public ReadOnlyMemory<byte> Cookie { get; } = cookie;

    public override ushort TypeCode => (ushort)SctpParameterType.StateCookie;

    public override int ValueLength => Cookie.Length;

    private protected override void WriteValue(Span<byte> destination) => Cookie.Span.CopyTo(destination);
}
