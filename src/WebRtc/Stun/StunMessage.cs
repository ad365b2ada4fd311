using System.Buffers.Binary;

namespace Enslavism.WebRtc.Stun;

/// <summary>
/// A parsed STUN message (RFC 8489 §5 header, §14 attributes). Parsing checks framing only (leading zero bits,
/// magic cookie, length, attribute bounds, FINGERPRINT last); MESSAGE-INTEGRITY and FINGERPRINT are verified
/// separately with <see cref="MessageIntegrity.Verify"/> and <see cref="Fingerprint.Verify"/>.
/// Attributes after MESSAGE-INTEGRITY other than FINGERPRINT are ignored, as §14.5 requires.
/// </summary>
public sealed class StunMessage
{
    public const int HeaderLength = 20;
    public const uint MagicCookie = 0x2112A442;

    private readonly byte[] _bytes;
    private readonly StunAttribute[] _attributes;

    private StunMessage(byte[] bytes, StunMessageClass messageClass, ushort method, StunAttribute[] attributes,
        int messageIntegrityOffset, int fingerprintOffset, ushort[] unknownComprehensionRequired)
    {
        _bytes = bytes;
        _attributes = attributes;
        Class = messageClass;
        Method = method;
        TransactionId = StunTransactionId.Read(bytes.AsSpan(8));
        MessageIntegrityOffset = messageIntegrityOffset;
        FingerprintOffset = fingerprintOffset;
        UnknownComprehensionRequired = unknownComprehensionRequired;
    }

    public StunMessageClass Class { get; }

    public ushort Method { get; }

    public StunTransactionId TransactionId { get; }

    /// <summary>The whole message as received.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>Attributes in wire order, excluding those ignored after MESSAGE-INTEGRITY.</summary>
    public IReadOnlyList<StunAttribute> Attributes => _attributes;

    /// <summary>Offset of the MESSAGE-INTEGRITY attribute header, or -1.</summary>
    public int MessageIntegrityOffset { get; }

    /// <summary>Offset of the FINGERPRINT attribute header, or -1.</summary>
    public int FingerprintOffset { get; }

    /// <summary>Comprehension-required attribute types we do not understand (a request with any gets 420).</summary>
    public IReadOnlyList<ushort> UnknownComprehensionRequired { get; }

    /// <summary>Encodes the 14-bit message type from method and class (RFC 8489 §5, Figure 3).</summary>
    public static ushort EncodeType(StunMessageClass messageClass, ushort method)
    {
        var c = (int)messageClass;
        return (ushort)(((method & 0xF80) << 2) | ((method & 0x070) << 1) | (method & 0x00F)
            | ((c & 0b10) << 7) | ((c & 0b01) << 4));
    }

    /// <summary>Cheap check of the fixed header fields, without parsing attributes.</summary>
    public static bool LooksLikeStun(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= HeaderLength && (datagram[0] & 0xC0) == 0
        && BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) == MagicCookie
        && (BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]) & 3) == 0;

    public ReadOnlySpan<byte> GetValue(StunAttribute attribute) =>
        _bytes.AsSpan(attribute.ValueOffset, attribute.Length);

    /// <summary>Finds the first attribute of <paramref name="type"/> (later duplicates are ignored).</summary>
    public bool TryGetAttribute(ushort type, out StunAttribute attribute)
    {
        foreach (var a in _attributes)
        {
            if (a.Type == type)
            {
                attribute = a;
                return true;
            }
        }

        attribute = default;
        return false;
    }

    public bool HasAttribute(ushort type) => TryGetAttribute(type, out _);

    public static bool TryParse(ReadOnlySpan<byte> datagram, out StunMessage? message, out StunParseError error) =>
        TryParse(datagram, StunParserOptions.Default, out message, out error);

    /// <summary>Parses a datagram; never throws on malformed input.</summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, StunParserOptions options, out StunMessage? message,
        out StunParseError error)
    {
        ArgumentNullException.ThrowIfNull(options);
        message = null;
        if (!TryWalk(datagram, options, out error, out var attributes, out var miOffset, out var fpOffset,
                out var unknown))
        {
            return false;
        }

        var type = BinaryPrimitives.ReadUInt16BigEndian(datagram);
        var messageClass = (StunMessageClass)(((type >> 7) & 0b10) | ((type >> 4) & 0b01));
        var method = (ushort)((type & 0x000F) | ((type >> 1) & 0x0070) | ((type >> 2) & 0x0F80));
        message = new StunMessage(datagram.ToArray(), messageClass, method, attributes, miOffset, fpOffset, unknown);
        return true;
    }

    private static bool TryWalk(ReadOnlySpan<byte> data, StunParserOptions options, out StunParseError error,
        out StunAttribute[] attributes, out int miOffset, out int fpOffset, out ushort[] unknown)
    {
        attributes = [];
        unknown = [];
        miOffset = -1;
        fpOffset = -1;
        if (data.Length < HeaderLength)
        {
            error = new(StunParseErrorReason.TooShort, $"{data.Length} bytes is shorter than the 20-byte header");
            return false;
        }

        if ((data[0] & 0xC0) != 0)
        {
            error = new(StunParseErrorReason.NotStun, "the two leading bits are not zero");
            return false;
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(data[4..]) != MagicCookie)
        {
            error = new(StunParseErrorReason.BadMagicCookie, "magic cookie is not 0x2112A442");
            return false;
        }

        if (data.Length > options.MaxMessageBytes)
        {
            error = new(StunParseErrorReason.TooLarge, $"{data.Length} bytes exceeds the {options.MaxMessageBytes}-byte limit");
            return false;
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
        if ((length & 3) != 0 || HeaderLength + length != data.Length)
        {
            error = new(StunParseErrorReason.BadLength,
                $"header length {length} does not match a {data.Length}-byte datagram or is not a multiple of 4");
            return false;
        }

        var list = new List<StunAttribute>();
        var unknownList = new List<ushort>();
        var offset = HeaderLength;
        var count = 0;
        while (offset < data.Length)
        {
            if (data.Length - offset < 4)
            {
                error = new(StunParseErrorReason.AttributeTruncated, $"attribute header at {offset} is truncated");
                return false;
            }

            var type = BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
            var valueLength = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 2)..]);
            var padded = (valueLength + 3) & ~3;
            if (padded > data.Length - offset - 4)
            {
                error = new(StunParseErrorReason.AttributeTruncated,
                    $"attribute 0x{type:X4} at {offset} declares {valueLength} bytes past the end");
                return false;
            }

            if (++count > options.MaxAttributes)
            {
                error = new(StunParseErrorReason.TooManyAttributes, $"more than {options.MaxAttributes} attributes");
                return false;
            }

            if (fpOffset >= 0)
            {
                error = new(StunParseErrorReason.FingerprintNotLast, "an attribute follows FINGERPRINT");
                return false;
            }

            if (type == StunAttributeType.Fingerprint)
            {
                if (valueLength != Fingerprint.ValueLength)
                {
                    error = new(StunParseErrorReason.InvalidAttribute, $"FINGERPRINT has length {valueLength}");
                    return false;
                }

                fpOffset = offset;
                list.Add(new StunAttribute(type, offset, valueLength));
            }
            else if (miOffset < 0)
            {
                if (type == StunAttributeType.MessageIntegrity)
                {
                    if (valueLength != MessageIntegrity.ValueLength)
                    {
                        error = new(StunParseErrorReason.InvalidAttribute, $"MESSAGE-INTEGRITY has length {valueLength}");
                        return false;
                    }

                    miOffset = offset;
                }
                else if (StunAttributeType.IsComprehensionRequired(type)
                    && !StunAttributeType.IsKnownComprehensionRequired(type) && !unknownList.Contains(type))
                {
                    unknownList.Add(type);
                }

                list.Add(new StunAttribute(type, offset, valueLength));
            }

            offset += 4 + padded;
        }

        attributes = [.. list];
        unknown = [.. unknownList];
        error = StunParseError.None;
        return true;
    }
}
