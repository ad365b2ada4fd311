using Org.BouncyCastle.Crypto.Tls;

namespace Enslavism.WebRtc.Dtls;

/// <summary>
/// The fence between BouncyCastle's blocking <see cref="DatagramTransport"/> and the sans-IO engine during the
/// handshake. Inbound datagrams are queued by the event loop; BC pulls them with <see cref="Receive"/> on the
/// handshake worker, which blocks until a datagram arrives, the wait elapses, or the handshake is cancelled.
/// Outbound datagrams go to a callback that queues them for the host. After the handshake the engine closes it:
/// records are then handled by <see cref="DtlsRecordLayer"/> and BC never reads or writes again.
/// </summary>
internal sealed class QueueDatagramTransport : DatagramTransport
{
    private readonly object _gate = new();
    private readonly Queue<byte[]> _inbound = new();
    private readonly int _maxQueued;
    private readonly int _receiveLimit;
    private readonly int _sendLimit;
    private readonly Action<byte[], int, int> _send;
    private CancellationToken _cancellation;
    private CancellationTokenRegistration _registration;
    private bool _closed;
    private volatile int _receiveReturns;

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

    /// <summary>
    /// How often <see cref="Receive"/> has returned (with a datagram or after its wait). BC sends a flight only after
    /// a receive returned, so a send after a change of this count starts a new flight.
    /// </summary>
    public int ReceiveReturns => _receiveReturns;

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

    /// <summary>Queues a copy of <paramref name="datagram"/>; false when full or closed.</summary>
    public bool TryEnqueue(ReadOnlySpan<byte> datagram)
    {
        lock (_gate)
        {
            if (_closed || _inbound.Count >= _maxQueued)
            {
                return false;
            }

            _inbound.Enqueue(datagram.ToArray());
            Monitor.Pulse(_gate);
            return true;
        }
    }

    public void DropQueued()
    {
        lock (_gate)
        {
            _inbound.Clear();
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
                if (_inbound.TryDequeue(out var datagram))
                {
                    _receiveReturns++;
                    // A datagram longer than BC's buffer is truncated; BC then sees a bad record length and drops it.
                    var n = Math.Min(len, datagram.Length);
                    Buffer.BlockCopy(datagram, 0, buf, off, n);
                    return n;
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
                    _receiveReturns++;
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
