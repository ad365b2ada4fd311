using Enslavism.Signaling;

namespace Enslavism.Grains;

/// <summary>
/// The list of registered slaves and its ordered change stream (a singleton grain in Orleans terms). Every subscriber
/// sees the same changes in the same order; a slave appears once, after it registered, and never after it left.
/// </summary>
public interface ISlaveRegistryGrain
{
    /// <summary>Makes a slave visible (or replaces its user data if it is already listed).</summary>
    ValueTask AddAsync(SlaveEntry slave);

    /// <summary>Removes a slave; removing an unlisted id does nothing and publishes nothing.</summary>
    ValueTask RemoveAsync(uint slaveId);

    /// <summary>The current list.</summary>
    ValueTask<SlaveListSnapshot> GetSnapshotAsync();

    /// <summary>Atomically takes a snapshot and subscribes to every later change.</summary>
    ValueTask<SlaveListSubscription> SubscribeAsync(ISlaveListObserver observer);
}
