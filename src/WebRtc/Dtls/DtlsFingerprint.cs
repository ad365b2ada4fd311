using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;

namespace Enslavism.WebRtc.Dtls;

/// <summary>
/// A certificate fingerprint as carried in SDP <c>a=fingerprint</c>, RFC 8122 §5: a hash function name and the
/// hash of the DER certificate, written as upper-case hex pairs separated by colons.
/// </summary>
/// <remarks>
/// Only <c>sha-256</c> is accepted: every current WebRTC stack signals it. An offer whose only fingerprints use
/// other hash functions should be refused by the SDP layer (it gets <see cref="DtlsFingerprintParseError.UnsupportedHashFunction"/>).
/// Equality is constant-time because the fingerprint is the only authentication of a WebRTC peer.
/// </remarks>
public sealed class DtlsFingerprint : IEquatable<DtlsFingerprint>
{
    public const string Sha256Name = "sha-256";
    public const int Sha256Length = 32;

    private readonly byte[] _hash;

    private DtlsFingerprint(byte[] hash) => _hash = hash;

    public ReadOnlySpan<byte> Hash => _hash;

    /// <summary>SHA-256 over the DER encoding of a certificate.</summary>
    public static DtlsFingerprint FromCertificateDer(ReadOnlySpan<byte> certificateDer) =>
        new(SHA256.HashData(certificateDer));

    /// <summary>Wraps a raw 32-byte SHA-256 value.</summary>
    public static DtlsFingerprint FromSha256(ReadOnlySpan<byte> hash)
    {
        if (hash.Length != Sha256Length)
        {
            throw new ArgumentException($"A SHA-256 fingerprint has {Sha256Length} bytes, got {hash.Length}.", nameof(hash));
        }

        return new DtlsFingerprint(hash.ToArray());
    }

    /// <summary>
    /// Parses the value of an <c>a=fingerprint:</c> line, e.g. <c>sha-256 AB:CD:…</c>. The hash name is
    /// case-insensitive; RFC 8122 §5 writes the hex upper-case, lower-case is accepted too.
    /// </summary>
    public static bool TryParseSdp(
        string? value, [NotNullWhen(true)] out DtlsFingerprint? fingerprint, out DtlsFingerprintParseError error)
    {
        fingerprint = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = DtlsFingerprintParseError.Empty;
            return false;
        }

        var trimmed = value.AsSpan().Trim();
        var space = trimmed.IndexOfAny(' ', '\t');
        if (space <= 0)
        {
            error = DtlsFingerprintParseError.MissingHashFunction;
            return false;
        }

        return TryParse(trimmed[..space], trimmed[(space + 1)..].Trim(), out fingerprint, out error);
    }

    /// <summary>Parses a hash function name and its colon-separated hex value.</summary>
    public static bool TryParse(
        ReadOnlySpan<char> hashFunction,
        ReadOnlySpan<char> hex,
        [NotNullWhen(true)] out DtlsFingerprint? fingerprint,
        out DtlsFingerprintParseError error)
    {
        fingerprint = null;
        if (!hashFunction.Equals(Sha256Name, StringComparison.OrdinalIgnoreCase))
        {
            error = DtlsFingerprintParseError.UnsupportedHashFunction;
            return false;
        }

        // "XX" + 31 × ":XX"
        const int expectedChars = (Sha256Length * 3) - 1;
        if (hex.Length != expectedChars)
        {
            error = hex.Length == 0 ? DtlsFingerprintParseError.Empty : DtlsFingerprintParseError.WrongLength;
            return false;
        }

        var hash = new byte[Sha256Length];
        for (var i = 0; i < Sha256Length; i++)
        {
            var pos = i * 3;
            if ((i > 0 && hex[pos - 1] != ':')
                || !byte.TryParse(hex.Slice(pos, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out hash[i]))
            {
                error = DtlsFingerprintParseError.MalformedHex;
                return false;
            }
        }

        fingerprint = new DtlsFingerprint(hash);
        error = DtlsFingerprintParseError.None;
        return true;
    }

    /// <summary>True when SHA-256(<paramref name="certificateDer"/>) equals this fingerprint, compared in constant time.</summary>
    public bool MatchesCertificate(ReadOnlySpan<byte> certificateDer)
    {
        Span<byte> actual = stackalloc byte[Sha256Length];
        SHA256.HashData(certificateDer, actual);
        return CryptographicOperations.FixedTimeEquals(actual, _hash);
    }

    /// <summary>Colon-separated upper-case hex pairs (the part after the hash name in SDP).</summary>
    public string ToHexString()
    {
        var hex = Convert.ToHexString(_hash);
        return string.Create((_hash.Length * 3) - 1, hex, static (dest, src) =>
        {
            for (var i = 0; i < src.Length / 2; i++)
            {
                if (i > 0)
                {
                    dest[(i * 3) - 1] = ':';
                }

                dest[i * 3] = src[i * 2];
                dest[(i * 3) + 1] = src[(i * 2) + 1];
            }
        });
    }

    /// <summary>The value of an <c>a=fingerprint:</c> line: <c>sha-256 AB:CD:…</c>.</summary>
    public string ToSdpValue() => Sha256Name + " " + ToHexString();

    public override string ToString() => ToSdpValue();

    public bool Equals(DtlsFingerprint? other) =>
        other is not null && CryptographicOperations.FixedTimeEquals(_hash, other._hash);

    public override bool Equals(object? obj) => Equals(obj as DtlsFingerprint);

    public override int GetHashCode() => BitConverter.ToInt32(_hash, 0);
}
