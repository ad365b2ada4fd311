using System.Threading.Channels;

namespace Enslavism.WebRtc.Host;

/// <summary>
/// Runs application event handlers serially, in order, on one dedicated thread per endpoint, so a slow or blocking
/// handler can never stall the network event loop. Handler exceptions are caught and counted.
/// </summary>
internal sealed class EventDispatcher
{
    // Synchronous continuations: the reader's only continuation is this thread's blocking wait, so the writer (the
    // event loop) wakes it directly instead of through a thread-pool hop per wake-up.
    private readonly Channel<WorkItem> _queue = Channel.CreateUnbounded<WorkItem>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });
    private readonly Thread _thread;
    private long _handlerFaults;

    public EventDispatcher(string name)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    public long HandlerFaults => Interlocked.Read(ref _handlerFaults);

    public void Post(Action action) => _queue.Writer.TryWrite(new WorkItem(action, null, null, false));

    /// <summary>Raises <see cref="WebRtcDataChannel.Message"/>: the hottest event, queued without a closure per message.</summary>
    public void PostMessage(WebRtcDataChannel channel, bool isText, byte[] data) => _queue.Writer.TryWrite(new WorkItem(null, channel, data, isText));

    public void Complete() => _queue.Writer.TryComplete();

    public bool Join(TimeSpan timeout) => Thread.CurrentThread == _thread || _thread.Join(timeout);

    private void Run()
    {
        var reader = _queue.Reader;
        while (true)
        {
            while (reader.TryRead(out var item))
            {
                try
                {
                    if (item.Action is { } action)
                    {
                        action();
                    }
                    else
                    {
                        item.Channel!.RaiseMessage(item.IsText, item.Data!);
                    }
                }
#pragma warning disable CA1031 // An application handler must not kill the dispatcher thread.
                catch (Exception)
#pragma warning restore CA1031
                {
                    Interlocked.Increment(ref _handlerFaults);
                }
            }

            var wait = reader.WaitToReadAsync();
            if (!(wait.IsCompleted ? wait.Result : wait.AsTask().GetAwaiter().GetResult()))
            {
                return;
            }
        }
    }

    private readonly record struct WorkItem(Action? Action, WebRtcDataChannel? Channel, byte[]? Data, bool IsText);
}
