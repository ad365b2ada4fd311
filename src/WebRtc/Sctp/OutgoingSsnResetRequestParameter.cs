namespace Enslavism.WebRtc.Sctp;

/// <summary>
/// Outgoing SSN Reset Request parameter (13), RFC 6525 §4.1: the sender will restart the SSNs of the listed streams
/// (all streams if the list is empty) once the receiver has seen every TSN up to <see cref="SenderLastAssignedTsn"/>.
/// </summary>
public sealed class OutgoingSsnResetRequestParameter(
    uint requestSequenceNumber,
    uint responseSequenceNumber,
    uint senderLastAssignedTsn,
    IReadOnlyList<ushort> streamIds) : SctpParameter
{
    public uint RequestSequenceNumber { get; } = requestSequenceNumber;

    public uint ResponseSequenceNumber { get; } = responseSequenceNumber;

    public uint SenderLastAssignedTsn { get; } = senderLastAssignedTsn;

    public IReadOnlyList<ushort> StreamIds { get; } = streamIds;

    public override ushort TypeCode => (ushort)SctpParameterType.OutgoingSsnResetRequest;

    public override int ValueLength => 12 + (2 * StreamIds.Count);

    internal static bool TryParseValue(ReadOnlySpan<byte> v, out SctpParameter? parameter, out SctpParseError error)
    {
        parameter = null;
        if (v.Length < 12 || (v.Length - 12) % 2 != 0)
        {
            error = SctpParseError.BadLength("Outgoing SSN Reset Request");
            return false;
        }

        var ids = new ushort[(v.Length - 12) / 2];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = SctpWire.ReadU16(v, 12 + (2 * i));
        }

        parameter = new OutgoingSsnResetRequestParameter(SctpWire.ReadU32(v, 0), SctpWire.ReadU32(v, 4), SctpWire.ReadU32(v, 8), ids);
        error = default;
        return true;
    }

    private protected override void WriteValue(Span<byte> destination)
    {
        SctpWire.WriteU32(destination, 0, RequestSequenceNumber);
        SctpWire.WriteU32(destination, 4, ResponseSequenceNumber);
        SctpWire.WriteU32(destination, 8, SenderLastAssignedTsn);
        for (var i = 0; i < StreamIds.Count; i++)
        {
            SctpWire.WriteU16(destination, 12 + (2 * i), StreamIds[i]);
        }
    }
}
