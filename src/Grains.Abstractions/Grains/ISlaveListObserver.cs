namespace Enslavism.Grains;

/// <summary>
/// Receives slave-list changes in sequence order, one call at a time (an Orleans grain observer in shape).
/// Implementations must not block: a slow consumer is the observer's problem to bound, not the registry's.
/// </summary>
public interface ISlaveListObserver
{
    ValueTask OnSlaveListChangedAsync(SlaveListChange change);
}
