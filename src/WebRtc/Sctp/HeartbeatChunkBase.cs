namespace Enslavism.WebRtc.Sctp;

/// <summary>
/// Shared layout of HEARTBEAT and HEARTBEAT-ACK: one Heartbeat Info parameter (type 1) with opaque sender data,
/// RFC 9260 §3.3.5–3.3.6.
/// </summary>
public abstract class HeartbeatChunkBase : SctpChunk
{
    private protected HeartbeatChunkBase(ReadOnlyMemory<byte> info) => Info = info;

    /// <summary>The opaque sender-specific bytes inside the Heartbeat Info parameter.</summary>
    public ReadOnlyMemory<byte> Info { get; }

    public override int ValueLength => 4 + Info.Length;

    internal static bool TryParseInfo(ReadOnlySpan<byte> v, out byte[] info, out SctpParseError error)
    {
        info = [];
        if (v.Length < 4)
        {
            error = SctpParseError.TooShort("heartbeat info");
            return false;
        }

        var type = SctpWire.ReadU16(v, 0);
        var length = SctpWire.ReadU16(v, 2);
        if (type != (ushort)SctpParameterType.HeartbeatInfo || length < 4 || length > v.Length)
        {
            error = SctpParseError.Invalid("heartbeat without a valid Heartbeat Info parameter");
            return false;
        }

        info = v[4..length].ToArray();
        error = default;
        return true;
    }

    private protected override void WriteValue(Span<byte> destination)
    {
        SctpWire.WriteU16(destination, 0, (ushort)SctpParameterType.HeartbeatInfo);
        SctpWire.WriteU16(destination, 2, checked((ushort)(4 + Info.Length)));
        Info.Span.CopyTo(destination[4..]);
    }
}
