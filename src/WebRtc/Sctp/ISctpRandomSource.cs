using System.Security.Cryptography;

namespace Enslavism.WebRtc.Sctp;

/// <summary>
/// Injected randomness for verification tags, initial TSNs and the cookie key. Kept inside Sctp/ until Core/ offers a
/// shared random source.
/// </summary>
public interface ISctpRandomSource
{
    void NextBytes(Span<byte> destination);
}

/// <summary>Production source: the OS CSPRNG (tags and TSNs must be unpredictable, RFC 9260 §5.3.1).</summary>
public sealed class CryptoSctpRandomSource : ISctpRandomSource
{
    public static CryptoSctpRandomSource Instance { get; } = new();

    public void NextBytes(Span<byte> destination) => RandomNumberGenerator.Fill(destination);
}

/// <summary>Deterministic source for tests.</summary>
public sealed class SeededSctpRandomSource(int seed) : ISctpRandomSource
{
    private readonly Random _random = new(seed);

    public void NextBytes(Span<byte> destination) => _random.NextBytes(destination);
}
