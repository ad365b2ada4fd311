using System.Buffers.Binary;
using System.Text;

namespace Enslavism.WebRtc.DataChannels;

/// <summary>
/// DATA_CHANNEL_OPEN, RFC 8832 §5.1: type 0x03, channel type, priority, reliability parameter, label and protocol
/// (UTF-8, lengths in bytes).
/// </summary>
public sealed record DcepOpenMessage(DataChannelType ChannelType, ushort Priority, uint ReliabilityParameter, string Label, string Protocol)
{
    public const byte MessageType = 0x03;
    private const int FixedLength = 12;
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public bool Ordered => ((byte)ChannelType & 0x80) == 0;

    public Reliability Reliability => Reliability.FromDcep(ChannelType, ReliabilityParameter);

    public byte[] Encode()
    {
        var label = Encoding.UTF8.GetBytes(Label);
        var protocol = Encoding.UTF8.GetBytes(Protocol);
        if (label.Length > ushort.MaxValue || protocol.Length > ushort.MaxValue)
        {
            throw new InvalidOperationException("label or protocol longer than 65535 bytes");
        }

        var bytes = new byte[FixedLength + label.Length + protocol.Length];
        bytes[0] = MessageType;
        bytes[1] = (byte)ChannelType;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), Priority);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), ReliabilityParameter);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(8), (ushort)label.Length);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(10), (ushort)protocol.Length);
        label.CopyTo(bytes, FixedLength);
        protocol.CopyTo(bytes, FixedLength + label.Length);
        return bytes;
    }

    public static bool TryParse(ReadOnlySpan<byte> data, out DcepOpenMessage? message, out DcepParseError error)
    {
        message = null;
        if (data.Length < FixedLength)
        {
            error = new DcepParseError(DcepParseErrorKind.TooShort, "DATA_CHANNEL_OPEN is truncated");
            return false;
        }

        if (data[0] != MessageType)
        {
            error = new DcepParseError(DcepParseErrorKind.UnknownMessageType, "not a DATA_CHANNEL_OPEN");
            return false;
        }

        var type = (DataChannelType)data[1];
        if (!Enum.IsDefined(type))
        {
            error = new DcepParseError(DcepParseErrorKind.UnknownChannelType, "unknown channel type 0x" + data[1].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            return false;
        }

        int labelLength = BinaryPrimitives.ReadUInt16BigEndian(data[8..]);
        int protocolLength = BinaryPrimitives.ReadUInt16BigEndian(data[10..]);
        if (data.Length != FixedLength + labelLength + protocolLength)
        {
            error = new DcepParseError(DcepParseErrorKind.BadLength, "label/protocol lengths disagree with the message size");
            return false;
        }

        string label, protocol;
        try
        {
            label = StrictUtf8.GetString(data.Slice(FixedLength, labelLength));
            protocol = StrictUtf8.GetString(data.Slice(FixedLength + labelLength, protocolLength));
        }
        catch (DecoderFallbackException)
        {
            error = new DcepParseError(DcepParseErrorKind.InvalidUtf8, "label or protocol is not UTF-8");
            return false;
        }

        message = new DcepOpenMessage(type, BinaryPrimitives.ReadUInt16BigEndian(data[2..]), BinaryPrimitives.ReadUInt32BigEndian(data[4..]), label, protocol);
        error = default;
        return true;
    }
}
