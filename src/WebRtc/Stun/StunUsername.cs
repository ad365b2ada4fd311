using System.Buffers.Binary;
using System.Text;

namespace Enslavism.WebRtc.Stun;

/// <summary>
/// USERNAME attribute, RFC 8489 §14.3 (UTF-8, less than 509 bytes). ICE checks carry
/// <c>"&lt;receiver ufrag&gt;:&lt;sender ufrag&gt;"</c> (RFC 8445 §7.2.2), so the part before the colon is
/// our own ufrag, which lets a UDP mux route the first datagram of a session before any address is known.
/// </summary>
public static class StunUsername
{
    public const int MaxBytes = 508;

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public static void Write(StunMessageWriter writer, string username)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var byteCount = Encoding.UTF8.GetByteCount(username);
        if (byteCount > MaxBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(username), byteCount, "USERNAME must be shorter than 509 bytes");
        }

        Encoding.UTF8.GetBytes(username, writer.AddAttribute(StunAttributeType.Username, byteCount));
    }

    /// <summary>Reads USERNAME as text; false when absent, too long or not valid UTF-8.</summary>
    public static bool TryRead(StunMessage message, out string username)
    {
        ArgumentNullException.ThrowIfNull(message);
        username = string.Empty;
        if (!message.TryGetAttribute(StunAttributeType.Username, out var attribute) || attribute.Length > MaxBytes)
        {
            return false;
        }

        return TryDecode(message.GetValue(attribute), out username);
    }

    /// <summary>
    /// Extracts the local (first) ufrag from the USERNAME of a raw STUN Binding request without fully parsing
    /// or authenticating it. Routing only: the owning session still verifies MESSAGE-INTEGRITY.
    /// </summary>
    public static bool TryGetLocalUfrag(ReadOnlySpan<byte> datagram, out string localUfrag)
    {
        localUfrag = string.Empty;
        if (!StunMessage.LooksLikeStun(datagram))
        {
            return false;
        }

        var end = Math.Min(datagram.Length, StunMessage.HeaderLength + BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]));
        var offset = StunMessage.HeaderLength;
        while (end - offset >= 4)
        {
            var type = BinaryPrimitives.ReadUInt16BigEndian(datagram[offset..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 2)..]);
            if (length > end - offset - 4)
            {
                return false;
            }

            if (type == StunAttributeType.Username)
            {
                var value = datagram.Slice(offset + 4, length);
                var colon = value.IndexOf((byte)':');
                return colon > 0 && length <= MaxBytes && TryDecode(value[..colon], out localUfrag);
            }

            offset += 4 + ((length + 3) & ~3);
        }

        return false;
    }

    private static bool TryDecode(ReadOnlySpan<byte> bytes, out string text)
    {
        try
        {
            text = StrictUtf8.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = string.Empty;
            return false;
        }
    }
}
