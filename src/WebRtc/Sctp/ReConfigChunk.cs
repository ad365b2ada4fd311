namespace Enslavism.WebRtc.Sctp;

/// <summary>RE-CONFIG chunk (130), RFC 6525 §3.1: one or two re-configuration parameters.</summary>
public sealed class ReConfigChunk(IReadOnlyList<SctpParameter> parameters) : SctpChunk
{
    public IReadOnlyList<SctpParameter> Parameters { get; } = parameters;

    public override byte TypeCode => (byte)SctpChunkType.ReConfig;

    public override int ValueLength => SctpWire.ParameterListLength(Parameters);

    internal static bool TryParseValue(ReadOnlySpan<byte> v, out SctpChunk? chunk, out SctpParseError error)
    {
        chunk = null;
        var parameters = new List<SctpParameter>();
        if (!SctpParameterReader.TryParseAll(v, parameters, out error))
        {
            return false;
        }

        if (parameters.Count is < 1 or > 2)
        {
            error = SctpParseError.Invalid("RE-CONFIG must carry one or two parameters");
            return false;
        }

        chunk = new ReConfigChunk(parameters);
        return true;
    }

    private protected override void WriteValue(Span<byte> destination) => SctpWire.WriteParameterList(Parameters, destination);
}
