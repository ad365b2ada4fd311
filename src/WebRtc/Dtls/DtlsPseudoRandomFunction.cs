using System.Security.Cryptography;
using System.Text;

namespace Enslavism.WebRtc.Dtls;

/// <summary>
/// The TLS 1.2 PRF, RFC 5246 §5: <c>PRF(secret, label, seed) = P_hash(secret, label + seed)</c> with HMAC over the
/// suite's PRF hash (SHA-256, or SHA-384 for the *_SHA384 suites, RFC 5289 §3). DTLS 1.2 reuses it unchanged
/// (RFC 6347 §4.2).
/// </summary>
internal static class DtlsPseudoRandomFunction
{
    /// <summary>Fills <paramref name="output"/> with <c>PRF(secret, label, seed)</c>.</summary>
    public static void Compute(
        HashAlgorithmName hash, ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> seed, Span<byte> output)
    {
        var hashLength = hash == HashAlgorithmName.SHA384 ? 48 : hash == HashAlgorithmName.SHA256 ? 32
            : throw new ArgumentException("The TLS 1.2 PRF is defined here for SHA-256 and SHA-384 only.", nameof(hash));
        var labelSeed = new byte[Encoding.ASCII.GetByteCount(label) + seed.Length];
        var labelLength = Encoding.ASCII.GetBytes(label, labelSeed);
        seed.CopyTo(labelSeed.AsSpan(labelLength));

        // A(i) || label+seed is hashed for each output block; A(0) = label+seed, A(i) = HMAC(secret, A(i-1)).
        var input = new byte[hashLength + labelSeed.Length];
        labelSeed.CopyTo(input, hashLength);
        Span<byte> a = stackalloc byte[hashLength];
        Span<byte> block = stackalloc byte[hashLength];
        CryptographicOperations.HmacData(hash, secret, labelSeed, a);
        var written = 0;
        while (written < output.Length)
        {
            a.CopyTo(input);
            CryptographicOperations.HmacData(hash, secret, input, block);
            var take = Math.Min(hashLength, output.Length - written);
            block[..take].CopyTo(output[written..]);
            written += take;
            CryptographicOperations.HmacData(hash, secret, a, a);
        }

        CryptographicOperations.ZeroMemory(block);
        CryptographicOperations.ZeroMemory(a);
    }
}
