using System.Threading.Channels;

namespace Enslavism.Grains.Tests.InMemory;

/// <summary>Records changes and fails the test if the registry ever calls it concurrently.</summary>
internal sealed class RecordingObserver : ISlaveListObserver
{
    private readonly Channel<SlaveListChange> _changes = Channel.CreateUnbounded<SlaveListChange>();
    private readonly Func<SlaveListChange, Task>? _onChange;
    private int _inside;

    public RecordingObserver(Func<SlaveListChange, Task>? onChange = null) => _onChange = onChange;

    public List<SlaveListChange> Received { get; } = [];

    public bool SawConcurrentCall { get; private set; }

    public TaskCompletionSource<string> Lost { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ValueTask OnSubscriptionLostAsync(string reason)
    {
        Lost.TrySetResult(reason);
        return ValueTask.CompletedTask;
    }

    public async ValueTask OnSlaveListChangedAsync(SlaveListChange change)
    {
        if (Interlocked.Increment(ref _inside) != 1)
        {
            SawConcurrentCall = true;
        }

        await Task.Yield();
        if (_onChange is not null)
        {
            await _onChange(change);
        }

        lock (Received)
        {
            Received.Add(change);
        }

        Interlocked.Decrement(ref _inside);
        _changes.Writer.TryWrite(change);
    }

    /// <summary>Waits until a change with at least this sequence number arrived.</summary>
    public async Task WaitForSequenceAsync(long sequence)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            lock (Received)
            {
                if (Received.Count > 0 && Received[^1].Sequence >= sequence)
                {
                    return;
                }
            }

            await _changes.Reader.ReadAsync(timeout.Token);
        }
    }
}
