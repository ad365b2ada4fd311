namespace Enslavism.WebRtc.Sctp;

/// <summary>Result codes of a Re-configuration Response, RFC 6525 §4.4.</summary>
public enum ReConfigResult : uint
{
    SuccessNothingToDo = 0,
    SuccessPerformed = 1,
    Denied = 2,
    ErrorWrongSsn = 3,
    ErrorRequestAlreadyInProgress = 4,
    ErrorBadSequenceNumber = 5,
    InProgress = 6,
}

/// <summary>Re-configuration Response parameter (16), RFC 6525 §4.4 (the optional TSN fields are only for SSN/TSN reset).</summary>
public sealed class ReConfigResponseParameter(uint responseSequenceNumber, ReConfigResult result) : SctpParameter
{
    public uint ResponseSequenceNumber { get; } = responseSequenceNumber;

    public ReConfigResult Result { get; } = result;

    public override ushort TypeCode => (ushort)SctpParameterType.ReConfigResponse;

    public override int ValueLength => 8;

    internal static bool TryParseValue(ReadOnlySpan<byte> v, out SctpParameter? parameter, out SctpParseError error)
    {
        parameter = null;
        // The 16-byte form carries sender/receiver next TSN, used only by the SSN/TSN reset we never request.
        if (v.Length != 8 && v.Length != 16)
        {
            error = SctpParseError.BadLength("Re-configuration Response");
            return false;
        }

        parameter = new ReConfigResponseParameter(SctpWire.ReadU32(v, 0), (ReConfigResult)SctpWire.ReadU32(v, 4));
        error = default;
        return true;
    }

    private protected override void WriteValue(Span<byte> destination)
    {
        SctpWire.WriteU32(destination, 0, ResponseSequenceNumber);
        SctpWire.WriteU32(destination, 4, (uint)Result);
    }
}
