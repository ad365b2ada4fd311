using System.Globalization;
using System.Text;

namespace Enslavism.WebRtc.Sdp;

/// <summary>
/// <c>a=fingerprint:&lt;hash-func&gt; &lt;hex pairs&gt;</c>, RFC 8122 §5. <see cref="Digest"/> is decoded for
/// every algorithm whose value is well-formed hex pairs (empty otherwise); the DTLS layer compares it with the
/// hash of the peer's certificate. Equality compares the digest bytes.
/// </summary>
public sealed record SdpFingerprint(string Algorithm, string Value, ReadOnlyMemory<byte> Digest)
{
    public const string Sha256 = "sha-256";

    public bool Equals(SdpFingerprint? other) => other is not null
        && string.Equals(Algorithm, other.Algorithm, StringComparison.Ordinal)
        && string.Equals(Value, other.Value, StringComparison.Ordinal)
        && Digest.Span.SequenceEqual(other.Digest.Span);

    public override int GetHashCode() => HashCode.Combine(Algorithm, Value);

    public bool IsSha256 => string.Equals(Algorithm, Sha256, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses the attribute value; false when there is no algorithm/value pair.</summary>
    public static bool TryParse(string attributeValue, out SdpFingerprint? fingerprint)
    {
        ArgumentNullException.ThrowIfNull(attributeValue);
        fingerprint = null;
        var parts = attributeValue.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2)
        {
            return false;
        }

        fingerprint = new SdpFingerprint(parts[0].ToLowerInvariant(), parts[1], TryDecodeHexPairs(parts[1]) ?? ReadOnlyMemory<byte>.Empty);
        return true;
    }

    /// <summary>Formats a digest as upper-case hex pairs separated by colons (RFC 8122 §5).</summary>
    public static string FormatDigest(ReadOnlySpan<byte> digest)
    {
        var builder = new StringBuilder(digest.Length * 3);
        for (var i = 0; i < digest.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(':');
            }

            builder.Append(digest[i].ToString("X2", CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }

    private static byte[]? TryDecodeHexPairs(string value)
    {
        if ((value.Length + 1) % 3 != 0)
        {
            return null;
        }

        var digest = new byte[(value.Length + 1) / 3];
        for (var i = 0; i < digest.Length; i++)
        {
            var offset = i * 3;
            if ((i > 0 && value[offset - 1] != ':')
                || !byte.TryParse(value.AsSpan(offset, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out digest[i]))
            {
                return null;
            }
        }

        return digest;
    }
}
