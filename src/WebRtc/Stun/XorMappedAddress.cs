using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Enslavism.WebRtc.Stun;

/// <summary>
/// XOR-MAPPED-ADDRESS attribute, RFC 8489 §14.2: family (0x01 IPv4, 0x02 IPv6), port xor the top 16 bits of
/// the magic cookie, address xor the cookie (IPv4) or cookie ‖ transaction id (IPv6).
/// IPv4-mapped IPv6 endpoints (dual-mode sockets) are written as IPv4, which is what the peer actually sent from.
/// </summary>
public static class XorMappedAddress
{
    private const byte FamilyV4 = 0x01;
    private const byte FamilyV6 = 0x02;

    public static void Write(StunMessageWriter writer, IPEndPoint endpoint, StunTransactionId transactionId)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(endpoint);
        var address = endpoint.Address.IsIPv4MappedToIPv6 ? endpoint.Address.MapToIPv4() : endpoint.Address;
        var isV4 = address.AddressFamily == AddressFamily.InterNetwork;
        var value = writer.AddAttribute(StunAttributeType.XorMappedAddress, isV4 ? 8 : 20);
        value[1] = isV4 ? FamilyV4 : FamilyV6;
        BinaryPrimitives.WriteUInt16BigEndian(value[2..], (ushort)(endpoint.Port ^ (StunMessage.MagicCookie >> 16)));
        if (!address.TryWriteBytes(value[4..], out _))
        {
            throw new ArgumentException("address could not be encoded", nameof(endpoint));
        }

        Xor(value[4..], transactionId);
    }

    /// <summary>Decodes the attribute; false when absent or malformed.</summary>
    public static bool TryRead(StunMessage message, out IPEndPoint? endpoint)
    {
        ArgumentNullException.ThrowIfNull(message);
        endpoint = null;
        if (!message.TryGetAttribute(StunAttributeType.XorMappedAddress, out var attribute))
        {
            return false;
        }

        var value = message.GetValue(attribute);
        var addressLength = value.Length switch
        {
            8 when value[1] == FamilyV4 => 4,
            20 when value[1] == FamilyV6 => 16,
            _ => 0,
        };
        if (addressLength == 0)
        {
            return false;
        }

        Span<byte> address = stackalloc byte[addressLength];
        value.Slice(4, addressLength).CopyTo(address);
        Xor(address, message.TransactionId);
        var port = BinaryPrimitives.ReadUInt16BigEndian(value[2..]) ^ (int)(StunMessage.MagicCookie >> 16);
        endpoint = new IPEndPoint(new IPAddress(address), port);
        return true;
    }

    private static void Xor(Span<byte> address, StunTransactionId transactionId)
    {
        Span<byte> mask = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(mask, StunMessage.MagicCookie);
        transactionId.Write(mask[4..]);
        for (var i = 0; i < address.Length; i++)
        {
            address[i] ^= mask[i];
        }
    }
}
