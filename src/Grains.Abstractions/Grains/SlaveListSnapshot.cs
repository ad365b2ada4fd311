using Enslavism.Signaling;

namespace Enslavism.Grains;

/// <summary>
/// The registered slaves at one point of the change stream. <see cref="Sequence"/> is the sequence number of the
/// last change included; the next change a subscriber receives has a larger one.
/// </summary>
public sealed record SlaveListSnapshot(long Sequence, IReadOnlyList<SlaveEntry> Slaves);
