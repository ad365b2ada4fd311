namespace Enslavism.WebRtc.Sctp;

/// <summary>ERROR (Operation Error) chunk, RFC 9260 §3.3.10: one or more error causes, not fatal.</summary>
public sealed class ErrorChunk(IReadOnlyList<SctpErrorCause> causes) : SctpChunk
{
    public IReadOnlyList<SctpErrorCause> Causes { get; } = causes;

    public override byte TypeCode => (byte)SctpChunkType.Error;

    public override int ValueLength => SctpErrorCause.ListLength(Causes);

    internal static bool TryParseValue(ReadOnlySpan<byte> v, out SctpChunk? chunk, out SctpParseError error)
    {
        chunk = SctpErrorCause.TryParseList(v, out var causes, out error) ? new ErrorChunk(causes) : null;
        return chunk != null;
    }

    private protected override void WriteValue(Span<byte> destination) => SctpErrorCause.WriteList(Causes, destination);
}
