namespace Enslavism.Grains;

/// <summary>
/// Receives slave-list changes in sequence order, one call at a time (an Orleans grain observer in shape).
/// Implementations must not block: a slow consumer is the observer's problem to bound, not the registry's.
/// </summary>
public interface ISlaveListObserver
{
    ValueTask OnSlaveListChangedAsync(SlaveListChange change);

    /// <summary>
    /// The registry stopped delivering to this observer (it fell too far behind, or its callback threw). No further
    /// change will arrive, so the observer's view is stale from now on: resubscribe or drop the consumer.
    /// </summary>
    ValueTask OnSubscriptionLostAsync(string reason) => ValueTask.CompletedTask;
}
