namespace Enslavism.WebRtc.Sctp;

/// <summary>Incoming SSN Reset Request parameter (14), RFC 6525 §4.2: asks the peer to reset its outgoing streams.</summary>
public sealed class IncomingSsnResetRequestParameter(uint requestSequenceNumber, IReadOnlyList<ushort> streamIds) : SctpParameter
{
    public uint RequestSequenceNumber { get; } = requestSequenceNumber;

    public IReadOnlyList<ushort> StreamIds { get; } = streamIds;

    public override ushort TypeCode => (ushort)SctpParameterType.IncomingSsnResetRequest;

    public override int ValueLength => 4 + (2 * StreamIds.Count);

    internal static bool TryParseValue(ReadOnlySpan<byte> v, out SctpParameter? parameter, out SctpParseError error)
    {
        parameter = null;
        if (v.Length < 4 || (v.Length - 4) % 2 != 0)
        {
            error = SctpParseError.BadLength("Incoming SSN Reset Request");
            return false;
        }

        var ids = new ushort[(v.Length - 4) / 2];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = SctpWire.ReadU16(v, 4 + (2 * i));
        }

        parameter = new IncomingSsnResetRequestParameter(SctpWire.ReadU32(v, 0), ids);
        error = default;
        return true;
    }

    private protected override void WriteValue(Span<byte> destination)
    {
        SctpWire.WriteU32(destination, 0, RequestSequenceNumber);
        for (var i = 0; i < StreamIds.Count; i++)
        {
            SctpWire.WriteU16(destination, 4 + (2 * i), StreamIds[i]);
        }
    }
}
