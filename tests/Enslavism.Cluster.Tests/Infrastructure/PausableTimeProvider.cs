namespace Enslavism.Cluster.Tests.Infrastructure;

/// <summary>
/// Real time that can be frozen: while paused no timer callback runs, so a node's heartbeats, janitor runs and
/// reconnect backoff all stop, like a process that hangs or a host that went silent. Callbacks due during the pause
/// run once on resume.
/// </summary>
public sealed class PausableTimeProvider : TimeProvider
{
    private readonly object _lock = new();
    private readonly Dictionary<object, (TimerCallback Callback, object? State)> _missed = [];
    private bool _paused;

    public void Pause()
    {
        lock (_lock)
        {
            _paused = true;
        }
    }

    public void Resume()
    {
        List<(TimerCallback Callback, object? State)> missed;
        lock (_lock)
        {
            _paused = false;
            missed = [.. _missed.Values];
            _missed.Clear();
        }

        foreach (var (callback, state) in missed)
        {
            callback(state);
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var key = new object();
        return System.CreateTimer(s => Fire(key, callback, s), state, dueTime, period);
    }

    private void Fire(object key, TimerCallback callback, object? state)
    {
        lock (_lock)
        {
            if (_paused)
            {
                _missed[key] = (callback, state);
                return;
            }
        }

        callback(state);
    }
}
