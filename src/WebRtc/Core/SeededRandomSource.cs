namespace Enslavism.WebRtc.Core;

/// <summary>
/// Deterministic <see cref="IRandomSource"/> for tests and simulations: the same seed yields the same bytes.
/// Never use it for credentials or cookies in production.
/// </summary>
public sealed class SeededRandomSource : IRandomSource
{
    private readonly Random _random;

    public SeededRandomSource(int seed)
    {
        _random = new Random(seed);
    }

    public void Fill(Span<byte> destination) => _random.NextBytes(destination);
}
