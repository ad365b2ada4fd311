namespace Enslavism.WebRtc.Sctp;

/// <summary>Forward-TSN-Supported parameter (0xC000), RFC 3758 §3.1; empty value.</summary>
public sealed class ForwardTsnSupportedParameter : SctpParameter
{
    public static ForwardTsnSupportedParameter Instance { get; } = new();

    public override ushort TypeCode => (ushort)SctpParameterType.ForwardTsnSupported;

    public override int ValueLength => 0;

    private protected override void WriteValue(Span<byte> destination)
    {
    }
}
