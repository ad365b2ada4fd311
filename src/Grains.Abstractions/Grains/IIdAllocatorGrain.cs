namespace Enslavism.Grains;

/// <summary>
/// Hands out u32 ids for one <see cref="EntityKind"/>: unique among live entities, wrapping around after 4294967295,
/// and not reused while a message in flight could still address the previous holder (released ids rest in quarantine).
/// </summary>
public interface IIdAllocatorGrain
{
    /// <summary>Allocates an id; throws <see cref="IdSpaceExhaustedException"/> when every id is live or quarantined.</summary>
    ValueTask<uint> AllocateAsync();

    /// <summary>Returns an id; it becomes allocatable again after the quarantine.</summary>
    ValueTask ReleaseAsync(uint id);
}
