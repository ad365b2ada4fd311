namespace Enslavism.Grains;

/// <summary>
/// The result of subscribing: a snapshot and a live subscription that delivers exactly the changes after it,
/// with no gap and no duplicate. Dispose to unsubscribe.
/// </summary>
public sealed class SlaveListSubscription : IAsyncDisposable
{
    private readonly Func<ValueTask> _unsubscribe;
    private int _disposed;

    public SlaveListSubscription(SlaveListSnapshot snapshot, Func<ValueTask> unsubscribe)
    {
        Snapshot = snapshot;
        _unsubscribe = unsubscribe;
    }

    public SlaveListSnapshot Snapshot { get; }

    public ValueTask DisposeAsync() =>
        Interlocked.Exchange(ref _disposed, 1) == 0 ? _unsubscribe() : ValueTask.CompletedTask;
}
