using System.Buffers.Binary;
using Enslavism.WebRtc.Core;

namespace Enslavism.WebRtc.Stun;

/// <summary>
/// FINGERPRINT attribute, RFC 8489 §14.7: CRC-32 of the message up to this attribute (header length patched to
/// include it) xor 0x5354554E. ICE requires it on every check (RFC 8445 §7.1), which is also what tells STUN
/// apart from other traffic on the shared port.
/// </summary>
public static class Fingerprint
{
    public const int ValueLength = 4;
    public const uint XorValue = 0x5354554E;

    public static bool Verify(StunMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.FingerprintOffset < 0)
        {
            return false;
        }

        var actual = BinaryPrimitives.ReadUInt32BigEndian(message.Bytes[(message.FingerprintOffset + 4)..]);
        return actual == Compute(message.Bytes[..message.FingerprintOffset]);
    }

    /// <summary>Computes the FINGERPRINT value for a message whose first <c>prefix.Length</c> bytes precede it.</summary>
    public static uint Compute(ReadOnlySpan<byte> prefix)
    {
        if (prefix.Length < StunMessage.HeaderLength)
        {
            throw new ArgumentException("the prefix must contain at least the 20-byte STUN header", nameof(prefix));
        }

        Span<byte> header = stackalloc byte[StunMessage.HeaderLength];
        prefix[..StunMessage.HeaderLength].CopyTo(header);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..],
            (ushort)(prefix.Length - StunMessage.HeaderLength + 4 + ValueLength));

        // CRC-32 over the patched header then the attributes, without copying the body.
        return Crc32.Continue(Crc32.Continue(Crc32.Initial, header), prefix[StunMessage.HeaderLength..]) ^ Crc32.FinalXor ^ XorValue;
    }
}
