using System.Buffers.Binary;

namespace Enslavism.WebRtc.Stun;

/// <summary>PRIORITY attribute, RFC 8445 §7.1.1 / §16.1: the 32-bit priority a peer-reflexive candidate would get.</summary>
public static class StunPriority
{
    public static void Write(StunMessageWriter writer, uint priority)
    {
        ArgumentNullException.ThrowIfNull(writer);
        BinaryPrimitives.WriteUInt32BigEndian(writer.AddAttribute(StunAttributeType.Priority, 4), priority);
    }

    public static bool TryRead(StunMessage message, out uint priority)
    {
        ArgumentNullException.ThrowIfNull(message);
        priority = 0;
        if (!message.TryGetAttribute(StunAttributeType.Priority, out var attribute) || attribute.Length != 4)
        {
            return false;
        }

        priority = BinaryPrimitives.ReadUInt32BigEndian(message.GetValue(attribute));
        return true;
    }
}
