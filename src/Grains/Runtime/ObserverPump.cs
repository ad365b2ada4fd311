using System.Threading.Channels;

namespace Enslavism.Grains.Runtime;

/// <summary>
/// Hands changes to one observer in order, one call at a time, on its own loop, so a slow observer delays only itself.
/// The queue is bounded; an observer that falls that far behind is cut off (its loop ends) rather than growing memory.
/// </summary>
internal sealed class ObserverPump
{
    private readonly Channel<SlaveListChange> _queue;
    private readonly ISlaveListObserver _observer;
    private readonly Action<ObserverPump> _onFaulted;
    private readonly int _capacity;
    private volatile string? _lostReason;

    public ObserverPump(ISlaveListObserver observer, int capacity, Action<ObserverPump> onFaulted)
    {
        _observer = observer;
        _capacity = capacity;
        _onFaulted = onFaulted;
        _queue = Channel.CreateBounded<SlaveListChange>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        Completion = Task.Run(PumpAsync);
    }

    public Task Completion { get; }

    /// <summary>Queues a change; false when the observer is too far behind (the pump is then stopped).</summary>
    public bool TryPost(SlaveListChange change)
    {
        if (_queue.Writer.TryWrite(change))
        {
            return true;
        }

        Abandon($"more than {_capacity} changes pending");
        return false;
    }

    public void Stop() => _queue.Writer.TryComplete();

    /// <summary>Stops the pump and tells the observer, after the changes already queued, that nothing more will come.</summary>
    public void Abandon(string reason)
    {
        _lostReason = reason;
        _queue.Writer.TryComplete();
    }

    private async Task PumpAsync()
    {
        try
        {
            await foreach (var change in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                await _observer.OnSlaveListChangedAsync(change).ConfigureAwait(false);
            }

            if (_lostReason is { } reason)
            {
                await _observer.OnSubscriptionLostAsync(reason).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // An observer's failure must not reach the registry; it is reported and the observer dropped.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _queue.Writer.TryComplete();
            _onFaulted(this);
            try
            {
                await _observer.OnSubscriptionLostAsync($"observer failed: {e.Message}").ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Already failing; a second failure has nowhere better to go.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }
}
