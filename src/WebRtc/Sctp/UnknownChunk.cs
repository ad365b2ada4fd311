namespace Enslavism.WebRtc.Sctp;

/// <summary>A chunk type this stack does not implement, kept raw for the high-bit rules of RFC 9260 §3.2.</summary>
public sealed class UnknownChunk(byte typeCode, byte flags, ReadOnlyMemory<byte> value) : SctpChunk
{
    public override byte TypeCode { get; } = typeCode;

    public override byte Flags { get; } = flags;

    public ReadOnlyMemory<byte> Value { get; } = value;

    public override int ValueLength => Value.Length;

    /// <summary>High bits 00/01: stop processing the packet and discard it.</summary>
    public bool StopProcessing => (TypeCode & 0x80) == 0;

    /// <summary>High bits 01/11: report it in an ERROR chunk (Unrecognized Chunk Type).</summary>
    public bool Report => (TypeCode & 0x40) != 0;

    private protected override void WriteValue(Span<byte> destination) => Value.Span.CopyTo(destination);
}
