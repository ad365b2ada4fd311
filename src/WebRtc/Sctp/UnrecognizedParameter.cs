namespace Enslavism.WebRtc.Sctp;

/// <summary>Unrecognized Parameter (8) in INIT-ACK: echoes a whole TLV we did not understand, RFC 9260 §3.3.3.1.</summary>
public sealed class UnrecognizedParameter(ReadOnlyMemory<byte> parameterTlv) : SctpParameter
{
    /// <summary>The unrecognized parameter exactly as received (type, length, value).</summary>
    public ReadOnlyMemory<byte> ParameterTlv { get; } = parameterTlv;

    public override ushort TypeCode => (ushort)SctpParameterType.UnrecognizedParameter;

    public override int ValueLength => ParameterTlv.Length;

    private protected override void WriteValue(Span<byte> destination) => ParameterTlv.Span.CopyTo(destination);
}
