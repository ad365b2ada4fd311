using System.Buffers.Binary;

namespace Enslavism.WebRtc.Stun;

/// <summary>UNKNOWN-ATTRIBUTES attribute, RFC 8489 §14.9: list of 16-bit types, sent with a 420 error response.</summary>
public static class UnknownAttributes
{
    public static void Write(StunMessageWriter writer, IReadOnlyList<ushort> types)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(types);
        var value = writer.AddAttribute(StunAttributeType.UnknownAttributes, types.Count * 2);
        for (var i = 0; i < types.Count; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(value[(i * 2)..], types[i]);
        }
    }

    public static bool TryRead(StunMessage message, out ushort[] types)
    {
        ArgumentNullException.ThrowIfNull(message);
        types = [];
        if (!message.TryGetAttribute(StunAttributeType.UnknownAttributes, out var attribute) || (attribute.Length & 1) != 0)
        {
            return false;
        }

        var value = message.GetValue(attribute);
        types = new ushort[value.Length / 2];
        for (var i = 0; i < types.Length; i++)
        {
            types[i] = BinaryPrimitives.ReadUInt16BigEndian(value[(i * 2)..]);
        }

        return true;
    }
}
