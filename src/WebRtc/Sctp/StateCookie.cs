using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Enslavism.WebRtc.Sctp;

/// <summary>
/// Contents of our State Cookie (RFC 9260 §5.1.3): everything needed to create the association from COOKIE-ECHO, so
/// an INIT costs us no state. Authenticated with HMAC-SHA256 and stamped with the creation time.
/// </summary>
internal readonly record struct StateCookie(
    uint LocalTag,
    uint PeerTag,
    uint LocalInitialTsn,
    uint PeerInitialTsn,
    uint PeerRwnd,
    ushort PeerOutboundStreams,
    ushort PeerInboundStreams,
    bool PeerForwardTsn,
    bool PeerReConfig,
    long CreatedMilliseconds)
{
    private const int BodyLength = 4 + 4 + 4 + 4 + 4 + 2 + 2 + 1 + 8;
    private const int MacLength = 32;
    public const int Length = BodyLength + MacLength;

    public byte[] Seal(ReadOnlySpan<byte> key)
    {
        var buffer = new byte[Length];
        var s = buffer.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(s, LocalTag);
        BinaryPrimitives.WriteUInt32BigEndian(s[4..], PeerTag);
        BinaryPrimitives.WriteUInt32BigEndian(s[8..], LocalInitialTsn);
        BinaryPrimitives.WriteUInt32BigEndian(s[12..], PeerInitialTsn);
        BinaryPrimitives.WriteUInt32BigEndian(s[16..], PeerRwnd);
        BinaryPrimitives.WriteUInt16BigEndian(s[20..], PeerOutboundStreams);
        BinaryPrimitives.WriteUInt16BigEndian(s[22..], PeerInboundStreams);
        s[24] = (byte)((PeerForwardTsn ? 1 : 0) | (PeerReConfig ? 2 : 0));
        BinaryPrimitives.WriteInt64BigEndian(s[25..], CreatedMilliseconds);
        HMACSHA256.HashData(key, s[..BodyLength], s[BodyLength..]);
        return buffer;
    }

    public static bool TryOpen(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, out StateCookie cookie)
    {
        cookie = default;
        if (data.Length != Length)
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[MacLength];
        HMACSHA256.HashData(key, data[..BodyLength], mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, data[BodyLength..]))
        {
            return false;
        }

        cookie = new StateCookie(
            BinaryPrimitives.ReadUInt32BigEndian(data),
            BinaryPrimitives.ReadUInt32BigEndian(data[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(data[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(data[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(data[16..]),
            BinaryPrimitives.ReadUInt16BigEndian(data[20..]),
            BinaryPrimitives.ReadUInt16BigEndian(data[22..]),
            (data[24] & 1) != 0,
            (data[24] & 2) != 0,
            BinaryPrimitives.ReadInt64BigEndian(data[25..]));
        return true;
    }
}
