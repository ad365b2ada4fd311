using Org.BouncyCastle.Crypto.Tls;

namespace Enslavism.WebRtc.Dtls;

/// <summary>
/// The fence between BouncyCastle's blocking <see cref="DatagramTransport"/> and the sans-IO engine. Inbound
/// datagrams are queued by the event loop; BC pulls them with <see cref="Receive"/>, which blocks (only on the
/// handshake worker) until a datagram arrives, the wait elapses, or the handshake is cancelled. After the handshake
/// the transport is switched to non-blocking and BC is driven on the event loop, where an empty queue returns −1 at
/// once. Outbound datagrams go to a callback that queues them for the host.
/// </summary>
internal sealed class QueueDatagramTransport : DatagramTransport
{
    private readonly object _gate = new();
    private readonly Queue<(byte[] Datagram, int Records)> _inbound = new();
    private readonly int _maxQueued;
    private readonly int _receiveLimit;
    private readonly int _sendLimit;
    private readonly Action<byte[], int, int> _send;
    private CancellationToken _cancellation;
    private CancellationTokenRegistration _registration;
    private bool _nonBlocking;
    private bool _closed;
    private int _pendingRecords;

    public QueueDatagramTransport(int receiveLimit, int sendLimit, int maxQueued, Action<byte[], int, int> send)
    {
        _receiveLimit = receiveLimit;
        _sendLimit = sendLimit;
        _maxQueued = maxQueued;
        _send = send;
    }

    /// <summary>True once BC closed the transport (close_notify exchange or failure) or the engine did.</summary>
    public bool IsClosed
    {
        get
        {
            lock (_gate)
            {
                return _closed;
            }
        }
    }

    /// <summary>Makes blocking waits observe <paramref name="token"/> (throws OperationCanceledException into BC).</summary>
    public void SetCancellation(CancellationToken token)
    {
        lock (_gate)
        {
            _cancellation = token;
        }

        _registration = token.Register(static s =>
        {
            var self = (QueueDatagramTransport)s!;
            lock (self._gate)
            {
                Monitor.PulseAll(self._gate);
            }
        }, this);
    }

    /// <summary>Stops blocking for good: from now on BC runs on the event loop, and an empty queue means "nothing".</summary>
    public void SwitchToNonBlocking()
    {
        _registration.Dispose();
        lock (_gate)
        {
            _nonBlocking = true;
            _cancellation = CancellationToken.None;

            // Counts added while the handshake consumed datagrams are stale; only what is still queued matters.
            _pendingRecords = 0;
            foreach (var (_, records) in _inbound)
            {
                _pendingRecords += records;
            }
        }
    }

    /// <summary>Queues a copy of <paramref name="datagram"/> holding <paramref name="records"/> records; false when full or closed.</summary>
    public bool TryEnqueue(ReadOnlySpan<byte> datagram, int records)
    {
        lock (_gate)
        {
            if (_closed || _inbound.Count >= _maxQueued)
            {
                return false;
            }

            _inbound.Enqueue((datagram.ToArray(), records));
            _pendingRecords += records;
            Monitor.Pulse(_gate);
            return true;
        }
    }

    /// <summary>Records queued since the last call: the number of BC receive calls that will each find a record.</summary>
    public int TakePendingRecords()
    {
        lock (_gate)
        {
            var pending = _pendingRecords;
            _pendingRecords = 0;
            return pending;
        }
    }

    public void DropQueued()
    {
        lock (_gate)
        {
            _inbound.Clear();
            _pendingRecords = 0;
        }
    }

    public int GetReceiveLimit() => _receiveLimit;

    public int GetSendLimit() => _sendLimit;

    public int Receive(byte[] buf, int off, int len, int waitMillis)
    {
        lock (_gate)
        {
            while (true)
            {
                if (_inbound.TryDequeue(out var entry))
                {
                    var datagram = entry.Datagram;
                    // A datagram longer than BC's buffer is truncated; BC then sees a bad record length and drops it.
                    var n = Math.Min(len, datagram.Length);
                    Buffer.BlockCopy(datagram, 0, buf, off, n);
                    return n;
                }

                if (_nonBlocking)
                {
                    return -1;
                }

                // Returning −1 would only make BC retransmit until its own timeout; an exception aborts the handshake now.
                _cancellation.ThrowIfCancellationRequested();
                if (_closed)
                {
                    throw new OperationCanceledException("DTLS transport closed during the handshake.");
                }

                // BC's convention: 0 means wait without limit (V6). Cancellation still wakes us.
                if (!Monitor.Wait(_gate, waitMillis == 0 ? Timeout.Infinite : waitMillis) && _inbound.Count == 0)
                {
                    _cancellation.ThrowIfCancellationRequested();
                    return -1;
                }
            }
        }
    }

    public void Send(byte[] buf, int off, int len)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }
        }

        if (len > _sendLimit)
        {
            // BC fragments to GetSendLimit(); a larger datagram is a BC bug, not network input.
            throw new InvalidOperationException($"BouncyCastle produced a {len}-byte datagram, limit {_sendLimit}.");
        }

        _send(buf, off, len);
    }

    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            Monitor.PulseAll(_gate);
        }
    }
}
