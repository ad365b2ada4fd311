namespace Enslavism.WebRtc.Sctp;

/// <summary>DATA chunk, RFC 9260 §3.3.1: flags I/U/B/E, TSN, stream id, SSN, PPID, user data.</summary>
public sealed class DataChunk(uint tsn, ushort streamId, ushort ssn, uint ppid, ReadOnlyMemory<byte> userData, bool unordered, bool beginning, bool ending, bool immediate = false) : SctpChunk
{
    public const int HeaderLength = 16;

    public uint Tsn { get; } = tsn;

    public ushort StreamId { get; } = streamId;

    public ushort Ssn { get; } = ssn;

    public uint Ppid { get; } = ppid;

    public ReadOnlyMemory<byte> UserData { get; } = userData;

    public bool Unordered { get; } = unordered;

    public bool Beginning { get; } = beginning;

    public bool Ending { get; } = ending;

    /// <summary>I bit (RFC 7053): the sender asks for an immediate SACK.</summary>
    public bool Immediate { get; } = immediate;

    public override byte TypeCode => (byte)SctpChunkType.Data;

    public override byte Flags => (byte)((Immediate ? 8 : 0) | (Unordered ? 4 : 0) | (Beginning ? 2 : 0) | (Ending ? 1 : 0));

    public override int ValueLength => 12 + UserData.Length;

    internal static bool TryParseValue(byte flags, ReadOnlySpan<byte> v, out SctpChunk? chunk, out SctpParseError error) =>
        TryParseValue(flags, v, default, out chunk, out error);

    /// <param name="ownedValue">The same bytes as <paramref name="v"/> in memory the caller gave up for good: the
    /// user data then stays a slice of it instead of a copy. Empty: copy.</param>
    internal static bool TryParseValue(byte flags, ReadOnlySpan<byte> v, ReadOnlyMemory<byte> ownedValue, out SctpChunk? chunk, out SctpParseError error)
    {
        chunk = null;
        if (v.Length < 12)
        {
            error = SctpParseError.TooShort("DATA chunk");
            return false;
        }

        if (v.Length == 12)
        {
            // RFC 9260 §6.2: a DATA chunk without user data is a protocol violation ("No User Data").
            error = SctpParseError.Invalid("DATA chunk without user data");
            return false;
        }

        chunk = new DataChunk(
            SctpWire.ReadU32(v, 0),
            SctpWire.ReadU16(v, 4),
            SctpWire.ReadU16(v, 6),
            SctpWire.ReadU32(v, 8),
            ownedValue.IsEmpty ? v[12..].ToArray() : ownedValue[12..],
            unordered: (flags & 4) != 0,
            beginning: (flags & 2) != 0,
            ending: (flags & 1) != 0,
            immediate: (flags & 8) != 0);
        error = default;
        return true;
    }

    private protected override void WriteValue(Span<byte> destination)
    {
        SctpWire.WriteU32(destination, 0, Tsn);
        SctpWire.WriteU16(destination, 4, StreamId);
        SctpWire.WriteU16(destination, 6, Ssn);
        SctpWire.WriteU32(destination, 8, Ppid);
        UserData.Span.CopyTo(destination[12..]);
    }
}
