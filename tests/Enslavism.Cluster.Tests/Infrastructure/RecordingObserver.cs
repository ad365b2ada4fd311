using Enslavism.Grains;
using Enslavism.Signaling;

namespace Enslavism.Cluster.Tests.Infrastructure;

/// <summary>Keeps a subscriber's view of the list (snapshot + changes) and every change it received, in order.</summary>
public sealed class RecordingObserver : ISlaveListObserver
{
    private readonly object _lock = new();
    private readonly SortedDictionary<uint, JsonUserData> _view = [];
    private readonly List<SlaveListChange> _changes = [];
    private readonly List<(Func<bool> Condition, TaskCompletionSource Done)> _waiters = [];
    private long _lastSequence;

    public SlaveListSubscription? Subscription { get; private set; }

    public static async Task<RecordingObserver> SubscribeAsync(ISlaveRegistryGrain registry)
    {
        var observer = new RecordingObserver();
        var subscription = await registry.SubscribeAsync(observer);
        lock (observer._lock)
        {
            observer.Subscription = subscription;
            foreach (var slave in subscription.Snapshot.Slaves)
            {
                observer._view[slave.Id] = slave.UserData;
            }

            observer._lastSequence = Math.Max(observer._lastSequence, subscription.Snapshot.Sequence);
        }

        return observer;
    }

    public IReadOnlyList<SlaveListChange> Changes
    {
        get
        {
            lock (_lock)
            {
                return [.. _changes];
            }
        }
    }

    public IReadOnlyDictionary<uint, JsonUserData> View
    {
        get
        {
            lock (_lock)
            {
                return new SortedDictionary<uint, JsonUserData>(_view);
            }
        }
    }

    /// <summary>Set when a change arrived out of order or contradicted the view (a removal of an unknown slave).</summary>
    public string? Violation { get; private set; }

    public ValueTask OnSlaveListChangedAsync(SlaveListChange change)
    {
        lock (_lock)
        {
            if (change.Sequence <= _lastSequence)
            {
                Violation ??= $"sequence {change.Sequence} after {_lastSequence}";
            }

            _lastSequence = change.Sequence;
            _changes.Add(change);
            switch (change)
            {
                case SlaveAdded added:
                    _view[added.Slave.Id] = added.Slave.UserData;
                    break;
                case SlaveRemoved removed when !_view.Remove(removed.SlaveId):
                    Violation ??= $"removal of unlisted slave {removed.SlaveId}";
                    break;
            }

            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Condition())
                {
                    _waiters[i].Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Waits until the view satisfies <paramref name="condition"/> (evaluated under the observer's lock).</summary>
    public async Task WaitUntilAsync(Func<IReadOnlyDictionary<uint, JsonUserData>, bool> condition, TimeSpan timeout)
    {
        TaskCompletionSource done;
        lock (_lock)
        {
            if (condition(_view))
            {
                return;
            }

            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((() => condition(_view), done));
        }

        try
        {
            await done.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Condition not met within {timeout}; view: [{string.Join(", ", View.Keys)}]");
        }
    }

    public Task WaitForIdsAsync(IEnumerable<uint> ids, TimeSpan timeout)
    {
        var expected = ids.ToHashSet();
        return WaitUntilAsync(view => view.Count == expected.Count && expected.All(view.ContainsKey), timeout);
    }
}
