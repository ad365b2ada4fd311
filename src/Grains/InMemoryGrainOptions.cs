namespace Enslavism.Grains;

/// <summary>Options of the in-memory grain runtime.</summary>
public sealed class InMemoryGrainOptions
{
    /// <summary>
    /// How long a released id stays unallocatable, so that a message still in flight for the old holder cannot reach a
    /// new one. Default 60 s.
    /// </summary>
    public TimeSpan IdQuarantine { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The lowest id, handed out first and again after wrapping around (default 0, as in Enslavism 0.9).</summary>
    public uint FirstId { get; set; }

    /// <summary>
    /// Where allocation starts, when not at <see cref="FirstId"/>. Set it near <see cref="uint.MaxValue"/> to exercise
    /// wrap-around without allocating four billion ids.
    /// </summary>
    public uint? StartId { get; set; }

    /// <summary>
    /// The largest id before wrapping around to <see cref="FirstId"/> (default <see cref="uint.MaxValue"/>). Lower it
    /// only to test wrap-around and exhaustion without allocating four billion ids.
    /// </summary>
    public uint MaxId { get; set; } = uint.MaxValue;

    /// <summary>
    /// Bound of the registry's per-subscriber queue of changes not yet handed to the observer. An observer that falls
    /// this far behind is unsubscribed (observers are expected to return quickly). Default 65536.
    /// </summary>
    public int MaxPendingChangesPerObserver { get; set; } = 65536;
}
