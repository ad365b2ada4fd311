using System.Buffers.Binary;

namespace Enslavism.WebRtc.Stun;

/// <summary>ICE-CONTROLLING attribute, RFC 8445 §7.1.3 / §16.1: the sender claims the controlling role; value is its 64-bit tie-breaker.</summary>
public static class IceControlling
{
    public static void Write(StunMessageWriter writer, ulong tieBreaker)
    {
        ArgumentNullException.ThrowIfNull(writer);
        BinaryPrimitives.WriteUInt64BigEndian(writer.AddAttribute(StunAttributeType.IceControlling, 8), tieBreaker);
    }

    public static bool TryRead(StunMessage message, out ulong tieBreaker)
    {
        ArgumentNullException.ThrowIfNull(message);
        tieBreaker = 0;
        if (!message.TryGetAttribute(StunAttributeType.IceControlling, out var attribute) || attribute.Length != 8)
        {
            return false;
        }

        tieBreaker = BinaryPrimitives.ReadUInt64BigEndian(message.GetValue(attribute));
        return true;
    }
}
