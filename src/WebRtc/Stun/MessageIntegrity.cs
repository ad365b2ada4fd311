using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Enslavism.WebRtc.Stun;

/// <summary>
/// MESSAGE-INTEGRITY attribute, RFC 8489 §14.5: HMAC-SHA1 over the message up to (excluding) this attribute,
/// with the header length patched as if the message ended right after it. ICE uses short-term credentials
/// (RFC 8489 §9.1), so the key is the password itself; ice-chars (RFC 8839 §5.4) are unchanged by OpaqueString
/// preparation, hence plain UTF-8.
/// </summary>
public static class MessageIntegrity
{
    public const int ValueLength = 20;

    /// <summary>Short-term credential key for an ICE password.</summary>
    public static byte[] KeyFromPassword(string password) => Encoding.UTF8.GetBytes(password);

    /// <summary>Verifies the message's MESSAGE-INTEGRITY in constant time; false when absent.</summary>
    public static bool Verify(StunMessage message, ReadOnlySpan<byte> key)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.MessageIntegrityOffset < 0)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[ValueLength];
        Compute(message.Bytes[..message.MessageIntegrityOffset], key, expected);
        var actual = message.Bytes.Slice(message.MessageIntegrityOffset + 4, ValueLength);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    /// <summary>
    /// Computes the HMAC of <paramref name="prefix"/> (the message up to the MI attribute header) into
    /// <paramref name="destination"/>.
    /// </summary>
    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms",
        Justification = "HMAC-SHA1 is mandated by RFC 8489 §14.5 and used by every ICE peer.")]
    public static void Compute(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> key, Span<byte> destination)
    {
        if (prefix.Length < StunMessage.HeaderLength)
        {
            throw new ArgumentException("the prefix must contain at least the 20-byte STUN header", nameof(prefix));
        }

        byte[]? rented = null;
        var copy = prefix.Length <= 1024 ? stackalloc byte[prefix.Length] : (rented = ArrayPool<byte>.Shared.Rent(prefix.Length));
        try
        {
            copy = copy[..prefix.Length];
            prefix.CopyTo(copy);
            BinaryPrimitives.WriteUInt16BigEndian(copy[2..],
                (ushort)(prefix.Length - StunMessage.HeaderLength + 4 + ValueLength));
            HMACSHA1.HashData(key, copy, destination);
        }
        finally
        {
            if (rented != null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
