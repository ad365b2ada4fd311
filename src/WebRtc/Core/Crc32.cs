namespace Enslavism.WebRtc.Core;

/// <summary>
/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as used by the STUN FINGERPRINT attribute
/// (RFC 8489 §14.7). <c>System.IO.Hashing</c> is not available on our package feed, hence this table version.
/// </summary>
public static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>Register value before any byte is processed.</summary>
    public const uint Initial = 0xFFFFFFFFu;

    /// <summary>Value xor-ed into the register at the end.</summary>
    public const uint FinalXor = 0xFFFFFFFFu;

    /// <summary>CRC-32 of <paramref name="data"/> (initial value and final xor 0xFFFFFFFF).</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Continue(Initial, data) ^ FinalXor;

    /// <summary>
    /// Feeds <paramref name="data"/> into a running register (start with <see cref="Initial"/>, finish by xor-ing
    /// <see cref="FinalXor"/>), so a checksum can span several buffers.
    /// </summary>
    public static uint Continue(uint register, ReadOnlySpan<byte> data)
    {
        var crc = register;
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
