namespace Enslavism.WebRtc.Sctp;

/// <summary>SHUTDOWN-COMPLETE chunk, RFC 9260 §3.3.13; T bit = tag reflected.</summary>
public sealed class ShutdownCompleteChunk(bool tagReflected) : SctpChunk
{
    public bool TagReflected { get; } = tagReflected;

    public override byte TypeCode => (byte)SctpChunkType.ShutdownComplete;

    public override byte Flags => TagReflected ? (byte)1 : (byte)0;

    public override int ValueLength => 0;

    private protected override void WriteValue(Span<byte> destination)
    {
    }
}
