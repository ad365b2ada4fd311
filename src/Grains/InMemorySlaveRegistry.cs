using Enslavism.Grains.Runtime;
using Enslavism.Signaling;

namespace Enslavism.Grains;

/// <summary>
/// The slave list in process. Each change gets the next sequence number inside the registry's turn and is posted to
/// every subscriber's own queue in that turn, so all subscribers see the same sequence; subscribing takes the snapshot
/// and joins the subscriber set in one turn, so there is no gap and no duplicate between snapshot and stream.
/// Re-registering a listed slave publishes <see cref="SlaveRemoved"/> then <see cref="SlaveAdded"/>: the wire has no
/// update message, and Enslavism 0.9 clients treat a second add of a known id as a new slave.
/// </summary>
public sealed class InMemorySlaveRegistry : ISlaveRegistryGrain
{
    private readonly GrainMailbox _mailbox = new();
    private readonly SortedDictionary<uint, SlaveEntry> _slaves = [];
    private readonly HashSet<ObserverPump> _pumps = [];
    private readonly int _maxPending;
    private long _sequence;

    public InMemorySlaveRegistry(InMemoryGrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _maxPending = options.MaxPendingChangesPerObserver;
    }

    public ValueTask AddAsync(SlaveEntry slave)
    {
        ArgumentNullException.ThrowIfNull(slave);
        return new(_mailbox.Run(() =>
        {
            if (_slaves.ContainsKey(slave.Id))
            {
                Publish(new SlaveRemoved(++_sequence, slave.Id));
            }

            _slaves[slave.Id] = slave;
            Publish(new SlaveAdded(++_sequence, slave));
            return true;
        }).AsTask());
    }

    public ValueTask RemoveAsync(uint slaveId) => new(_mailbox.Run(() =>
    {
        if (_slaves.Remove(slaveId))
        {
            Publish(new SlaveRemoved(++_sequence, slaveId));
        }

        return true;
    }).AsTask());

    public ValueTask<SlaveListSnapshot> GetSnapshotAsync() => _mailbox.Run(TakeSnapshot);

    public ValueTask<SlaveListSubscription> SubscribeAsync(ISlaveListObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        return _mailbox.Run(() =>
        {
            var pump = new ObserverPump(observer, _maxPending, OnPumpFaulted);
            _pumps.Add(pump);
            return new SlaveListSubscription(TakeSnapshot(), () => Unsubscribe(pump));
        });
    }

    private SlaveListSnapshot TakeSnapshot() => new(_sequence, [.. _slaves.Values]);

    private void Publish(SlaveListChange change)
    {
        List<ObserverPump>? lagging = null;
        foreach (var pump in _pumps)
        {
            if (!pump.TryPost(change))
            {
                (lagging ??= []).Add(pump);
            }
        }

        if (lagging is not null)
        {
            // Their pumps were abandoned by TryPost and will tell their observers after the queued changes.
            foreach (var pump in lagging)
            {
                _pumps.Remove(pump);
            }
        }
    }

    private ValueTask Unsubscribe(ObserverPump pump) => new(_mailbox.Run(() =>
    {
        pump.Stop();
        return _pumps.Remove(pump);
    }).AsTask());

    private void OnPumpFaulted(ObserverPump pump) => _ = Unsubscribe(pump).AsTask();
}
