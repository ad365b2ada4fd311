namespace Enslavism.WebRtc.Sctp;

/// <summary>Error cause codes used by this stack, RFC 9260 §3.3.10.</summary>
public enum SctpErrorCauseCode : ushort
{
    InvalidStreamIdentifier = 1,
    MissingMandatoryParameter = 2,
    StaleCookie = 3,
    OutOfResource = 4,
    UnrecognizedChunkType = 6,
    InvalidMandatoryParameter = 7,
    UnrecognizedParameters = 8,
    NoUserData = 9,
    ProtocolViolation = 13,
    UserInitiatedAbort = 12,
}

/// <summary>One error cause TLV inside ERROR or ABORT: Code (2) Length (2) Info, RFC 9260 §3.3.10.</summary>
public sealed class SctpErrorCause(ushort code, ReadOnlyMemory<byte> info)
{
    public ushort Code { get; } = code;

    public ReadOnlyMemory<byte> Info { get; } = info;

    public int Length => 4 + Info.Length;

    public int PaddedLength => SctpWire.Pad4(Length);

    public static SctpErrorCause FromText(SctpErrorCauseCode code, string text) => new((ushort)code, System.Text.Encoding.UTF8.GetBytes(text));

    internal static int ListLength(IReadOnlyList<SctpErrorCause> causes)
    {
        var total = 0;
        for (var i = 0; i < causes.Count; i++)
        {
            total += i == causes.Count - 1 ? causes[i].Length : causes[i].PaddedLength;
        }

        return total;
    }

    internal static void WriteList(IReadOnlyList<SctpErrorCause> causes, Span<byte> destination)
    {
        var offset = 0;
        for (var i = 0; i < causes.Count; i++)
        {
            var c = causes[i];
            SctpWire.WriteU16(destination, offset, c.Code);
            SctpWire.WriteU16(destination, offset + 2, checked((ushort)c.Length));
            c.Info.Span.CopyTo(destination[(offset + 4)..]);
            if (i != causes.Count - 1)
            {
                destination[(offset + c.Length)..(offset + c.PaddedLength)].Clear();
            }

            offset += c.PaddedLength;
        }
    }

    internal static bool TryParseList(ReadOnlySpan<byte> v, out List<SctpErrorCause> causes, out SctpParseError error)
    {
        causes = [];
        var offset = 0;
        while (offset + 4 <= v.Length)
        {
            var code = SctpWire.ReadU16(v, offset);
            var length = SctpWire.ReadU16(v, offset + 2);
            if (length < 4 || offset + length > v.Length || causes.Count >= SctpParameterReader.MaxParameters)
            {
                error = SctpParseError.BadLength("error cause");
                return false;
            }

            causes.Add(new SctpErrorCause(code, v.Slice(offset + 4, length - 4).ToArray()));
            offset += SctpWire.Pad4(length);
        }

        error = default;
        return true;
    }
}
