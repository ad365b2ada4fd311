namespace Enslavism.WebRtc.Sctp;

/// <summary>ABORT chunk, RFC 9260 §3.3.7: T bit = verification tag is the sender's own (reflected), plus error causes.</summary>
public sealed class AbortChunk(bool tagReflected, IReadOnlyList<SctpErrorCause> causes) : SctpChunk
{
    public bool TagReflected { get; } = tagReflected;

    public IReadOnlyList<SctpErrorCause> Causes { get; } = causes;

    public override byte TypeCode => (byte)SctpChunkType.Abort;

    public override byte Flags => TagReflected ? (byte)1 : (byte)0;

    public override int ValueLength => SctpErrorCause.ListLength(Causes);

    internal static bool TryParseValue(byte flags, ReadOnlySpan<byte> v, out SctpChunk? chunk, out SctpParseError error)
    {
        chunk = SctpErrorCause.TryParseList(v, out var causes, out error) ? new AbortChunk((flags & 1) != 0, causes) : null;
        return chunk != null;
    }

    private protected override void WriteValue(Span<byte> destination) => SctpErrorCause.WriteList(Causes, destination);
}
