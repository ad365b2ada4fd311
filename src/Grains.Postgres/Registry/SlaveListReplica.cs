using Enslavism.Signaling;
using Microsoft.Extensions.Logging;

namespace Enslavism.Grains.Postgres.Registry;

/// <summary>
/// This node's copy of the cluster slave list, fed from the change log in sequence order. Local subscribers see
/// sequence numbers derived from the log's, so all nodes publish the same changes in the same order; after a resync
/// only the real differences are published, numbered so they still strictly increase.
/// </summary>
internal sealed partial class SlaveListReplica
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SortedDictionary<uint, SlaveEntry> _slaves = [];
    private readonly List<ISlaveListObserver> _observers = [];
    private readonly List<(long Sequence, TaskCompletionSource Done)> _waiters = [];
    private readonly ILogger _logger;
    private long _cursor;
    private long _offset;
    private long _lastPublished;

    public SlaveListReplica(ILogger logger) => _logger = logger;

    /// <summary>The last change-log sequence number applied.</summary>
    public long Cursor => Interlocked.Read(ref _cursor);

    public int Count
    {
        get
        {
            lock (_slaves)
            {
                return _slaves.Count;
            }
        }
    }

    public async ValueTask<SlaveListSnapshot> GetSnapshotAsync()
    {
        await _gate.WaitAsync();
        try
        {
            return TakeSnapshot();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask<SlaveListSubscription> SubscribeAsync(ISlaveListObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        await _gate.WaitAsync();
        try
        {
            _observers.Add(observer);
            return new SlaveListSubscription(TakeSnapshot(), () => UnsubscribeAsync(observer));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Applies log entries; the first must follow the cursor and the rest follow each other.</summary>
    public async Task ApplyAsync(IReadOnlyList<LoggedChange> changes)
    {
        await _gate.WaitAsync();
        try
        {
            foreach (var change in changes)
            {
                if (change.Sequence != _cursor + 1)
                {
                    throw new InvalidOperationException($"Change {change.Sequence} does not follow cursor {_cursor}.");
                }

                var sequence = change.Sequence + _offset;
                if (change.UserData is { } data)
                {
                    var entry = new SlaveEntry(change.SlaveId, data);
                    lock (_slaves)
                    {
                        _slaves[change.SlaveId] = entry;
                    }

                    await PublishAsync(new SlaveAdded(sequence, entry));
                }
                else
                {
                    bool removed;
                    lock (_slaves)
                    {
                        removed = _slaves.Remove(change.SlaveId);
                    }

                    if (removed)
                    {
                        await PublishAsync(new SlaveRemoved(sequence, change.SlaveId));
                    }
                }

                _cursor = change.Sequence;
                _lastPublished = sequence;
            }
        }
        finally
        {
            _gate.Release();
            ReleaseWaiters();
        }
    }

    /// <summary>
    /// Replaces the list with a snapshot taken at log position <paramref name="head"/> and publishes only the
    /// differences: removals, then additions and replacements, each in id order.
    /// </summary>
    public async Task ResyncAsync(long head, IReadOnlyList<SlaveEntry> rows)
    {
        await _gate.WaitAsync();
        try
        {
            var incoming = rows.ToDictionary(r => r.Id);
            List<uint> removed;
            List<SlaveEntry> added;
            lock (_slaves)
            {
                removed = _slaves.Keys.Where(id => !incoming.ContainsKey(id)).ToList();
                added = rows.Where(r => !_slaves.TryGetValue(r.Id, out var known) || !known.UserData.Equals(r.UserData))
                    .OrderBy(r => r.Id).ToList();
            }

            var differences = removed.Count + added.Count;

            // Every difference needs a number above the last one published. Within one database each differing slave
            // changed at least once after the cursor, so head leaves room; a recreated database may not.
            if (head + _offset - differences < _lastPublished)
            {
                _offset = _lastPublished + differences - head;
            }

            var sequence = head + _offset - differences;
            foreach (var id in removed)
            {
                lock (_slaves)
                {
                    _slaves.Remove(id);
                }

                await PublishAsync(new SlaveRemoved(++sequence, id));
            }

            foreach (var entry in added)
            {
                lock (_slaves)
                {
                    _slaves[entry.Id] = entry;
                }

                await PublishAsync(new SlaveAdded(++sequence, entry));
            }

            _cursor = head;
            _lastPublished = head + _offset;
            Log.Resynced(_logger, head, removed.Count, added.Count);
        }
        finally
        {
            _gate.Release();
            ReleaseWaiters();
        }
    }

    /// <summary>Completes when the cursor reaches <paramref name="sequence"/>, or false after the timeout.</summary>
    public async Task<bool> WaitForAsync(long sequence, TimeSpan timeout, TimeProvider timeProvider)
    {
        TaskCompletionSource done;
        lock (_waiters)
        {
            if (Cursor >= sequence)
            {
                return true;
            }

            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((sequence, done));
        }

        try
        {
            await done.Task.WaitAsync(timeout, timeProvider);
            return true;
        }
        catch (TimeoutException)
        {
            lock (_waiters)
            {
                _waiters.RemoveAll(w => w.Done == done);
            }

            return false;
        }
    }

    private void ReleaseWaiters()
    {
        lock (_waiters)
        {
            var cursor = Cursor;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Sequence <= cursor)
                {
                    _waiters[i].Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    private SlaveListSnapshot TakeSnapshot()
    {
        lock (_slaves)
        {
            return new SlaveListSnapshot(_lastPublished, [.. _slaves.Values]);
        }
    }

    private async ValueTask UnsubscribeAsync(ISlaveListObserver observer)
    {
        await _gate.WaitAsync();
        try
        {
            _observers.Remove(observer);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask PublishAsync(SlaveListChange change)
    {
        List<ISlaveListObserver>? failed = null;
        foreach (var observer in _observers)
        {
            try
            {
                await observer.OnSlaveListChangedAsync(change);
            }
            catch (Exception e)
            {
                // One faulty subscriber must not starve the others or stall the feed; it missed a change, so its
                // view is stale and it is dropped (as the in-memory registry does).
                Log.ObserverFailed(_logger, change.Sequence, e);
                (failed ??= []).Add(observer);
            }
        }

        foreach (var observer in failed ?? [])
        {
            _observers.Remove(observer);
            try
            {
                await observer.OnSubscriptionLostAsync($"observer failed on change {change.Sequence}");
            }
            catch (Exception e)
            {
                Log.ObserverFailed(_logger, change.Sequence, e);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Slave list resynced at log position {Head}: {Removed} removed, {Added} added or replaced")]
        public static partial void Resynced(ILogger logger, long head, int removed, int added);

        [LoggerMessage(2, LogLevel.Warning, "A slave-list observer failed on change {Sequence}")]
        public static partial void ObserverFailed(ILogger logger, long sequence, Exception exception);
    }
}
