namespace Enslavism.WebRtc.DataChannels;

/// <summary>DATA_CHANNEL_ACK, RFC 8832 §5.2: a single message-type byte 0x02.</summary>
public static class DcepAckMessage
{
    public const byte MessageType = 0x02;

    public static byte[] Encode() => [MessageType];

    /// <summary>RFC 8832 does not define a body; extra bytes are tolerated.</summary>
    public static bool IsAck(ReadOnlySpan<byte> data) => data.Length >= 1 && data[0] == MessageType;
}
