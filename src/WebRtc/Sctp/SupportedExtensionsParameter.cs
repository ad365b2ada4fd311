namespace Enslavism.WebRtc.Sctp;

/// <summary>Supported Extensions parameter (0x8008): a list of chunk type bytes, RFC 5061 §4.2.7.</summary>
public sealed class SupportedExtensionsParameter(IReadOnlyList<byte> chunkTypes) : SctpParameter
{
    public IReadOnlyList<byte> ChunkTypes { get; } = chunkTypes;

    public override ushort TypeCode => (ushort)SctpParameterType.SupportedExtensions;

    public override int ValueLength => ChunkTypes.Count;

    public bool Contains(SctpChunkType type) => ChunkTypes.Contains((byte)type);

    private protected override void WriteValue(Span<byte> destination)
    {
        for (var i = 0; i < ChunkTypes.Count; i++)
        {
            destination[i] = ChunkTypes[i];
        }
    }
}
