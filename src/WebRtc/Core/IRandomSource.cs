namespace Enslavism.WebRtc.Core;

/// <summary>
/// Injected randomness, so protocol code stays deterministic under test. Production passes
/// <see cref="CryptoRandomSource"/> wherever the value must be unpredictable (ICE credentials, cookies, TSNs).
/// </summary>
public interface IRandomSource
{
    /// <summary>Fills <paramref name="destination"/> with random bytes.</summary>
    void Fill(Span<byte> destination);
}
