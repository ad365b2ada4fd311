namespace Enslavism.WebRtc.Sctp;

/// <summary>
/// A parameter this stack does not implement (e.g. AUTH random/HMAC, zero-checksum); kept raw so the receiver can apply
/// the two-high-bit rules of RFC 9260 §3.2.1 and echo it in an Unrecognized Parameter.
/// </summary>
public sealed class UnknownParameter(ushort typeCode, ReadOnlyMemory<byte> value) : SctpParameter
{
    public override ushort TypeCode { get; } = typeCode;

    public ReadOnlyMemory<byte> Value { get; } = value;

    public override int ValueLength => Value.Length;

    /// <summary>High bits 00/01: stop processing further parameters of the chunk (RFC 9260 §3.2.1).</summary>
    public bool StopProcessing => (TypeCode & 0x8000) == 0;

    /// <summary>High bits 01/11: report it back to the sender.</summary>
    public bool Report => (TypeCode & 0x4000) != 0;

    private protected override void WriteValue(Span<byte> destination) => Value.Span.CopyTo(destination);
}
