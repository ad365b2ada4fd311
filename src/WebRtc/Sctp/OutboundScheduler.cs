namespace Enslavism.WebRtc.Sctp;

/// <summary>
/// Chooses which queued message goes next: FIFO within a stream, round-robin between streams, so a bulk transfer on one
/// channel cannot starve game updates on another. A started message is always finished first, because without I-DATA
/// (RFC 8260) the fragments of one message must carry consecutive TSNs (RFC 9260 §6.9).
/// </summary>
internal sealed class OutboundScheduler
{
    private readonly Dictionary<ushort, Queue<OutboundMessage>> _queues = [];
    private readonly Queue<ushort> _rotation = new();
    private OutboundMessage? _current;
    private int _queued;

    public bool HasPending => _queued > 0 || _current is { Remaining: > 0 };

    public void Enqueue(OutboundMessage message)
    {
        if (!_queues.TryGetValue(message.StreamId, out var queue))
        {
            queue = new Queue<OutboundMessage>();
            _queues[message.StreamId] = queue;
            _rotation.Enqueue(message.StreamId);
        }

        queue.Enqueue(message);
        _queued++;
    }

    /// <summary>The message to take bytes from now (the unfinished one, else the next stream's head).</summary>
    public OutboundMessage? Current()
    {
        if (_current is { Remaining: > 0 })
        {
            return _current;
        }

        _current = null;
        if (!_rotation.TryDequeue(out var streamId))
        {
            return null;
        }

        var queue = _queues[streamId];
        _current = queue.Dequeue();
        _queued--;
        if (queue.Count > 0)
        {
            _rotation.Enqueue(streamId);
        }
        else
        {
            _queues.Remove(streamId);
        }

        return _current;
    }

    /// <summary>Forgets the current message (it expired before its first fragment was sent).</summary>
    public void DropCurrent() => _current = null;

    public bool HasPendingFor(ushort streamId) => _queues.ContainsKey(streamId) || (_current is { Remaining: > 0 } c && c.StreamId == streamId);

    public void Clear()
    {
        _queues.Clear();
        _rotation.Clear();
        _current = null;
        _queued = 0;
    }
}
