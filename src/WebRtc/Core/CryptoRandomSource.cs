using System.Security.Cryptography;

namespace Enslavism.WebRtc.Core;

/// <summary>Cryptographically secure <see cref="IRandomSource"/> backed by the OS generator.</summary>
public sealed class CryptoRandomSource : IRandomSource
{
    /// <summary>Shared instance; the OS generator is thread-safe.</summary>
    public static CryptoRandomSource Instance { get; } = new();

    public void Fill(Span<byte> destination) => RandomNumberGenerator.Fill(destination);
}
