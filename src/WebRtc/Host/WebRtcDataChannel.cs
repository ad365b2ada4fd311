using System.Collections.Concurrent;
using System.Text;
using Enslavism.WebRtc.DataChannels;
using SansIoChannel = Enslavism.WebRtc.DataChannels.DataChannel;

namespace Enslavism.WebRtc.Host;

/// <summary>Ready state of a <see cref="WebRtcDataChannel"/> (W3C RTCDataChannelState).</summary>
public enum DataChannelReadyState
{
    Connecting,
    Open,
    Closing,
    Closed,
}

/// <summary>
/// Application view of one data channel of a <see cref="PeerConnection"/>. Thread-safe: sends and closes are posted
/// to the endpoint's event loop. Events are raised on the endpoint's dispatcher thread (serially, in order; see
/// <see cref="WebRtcEndpoint"/>), never on the network loop, so handlers may block briefly without stalling I/O.
/// </summary>
public sealed class WebRtcDataChannel
{
    private readonly PeerConnection _peer;
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<(byte[] Data, bool IsText)> _outgoing = new();
    private readonly Action _flush;
    private int _flushScheduled;
    private long _pendingBytes;
    private long _sctpBuffered;
    private long _threshold;
    private int _aboveThreshold;
    private volatile int _state;

    internal WebRtcDataChannel(PeerConnection peer, SansIoChannel channel)
    {
        _peer = peer;
        Channel = channel;
        _flush = FlushOutgoing;
    }

    internal SansIoChannel Channel { get; }

    public ushort Id => Channel.Id;

    public string Label => Channel.Label;

    public string Protocol => Channel.Protocol;

    public bool Ordered => Channel.Ordered;

    public Reliability Reliability => Channel.Reliability;

    public bool Negotiated => Channel.Negotiated;

    public PeerConnection PeerConnection => _peer;

    public DataChannelReadyState ReadyState => (DataChannelReadyState)_state;

    /// <summary>Bytes accepted by <see cref="Send(string)"/> and not yet handed to the network (approximate between loop turns).</summary>
    public long BufferedAmount => Interlocked.Read(ref _pendingBytes) + Interlocked.Read(ref _sctpBuffered);

    /// <summary>BufferedAmountLow fires when <see cref="BufferedAmount"/> falls from above to at or below this value.</summary>
    public long BufferedAmountLowThreshold
    {
        get => Interlocked.Read(ref _threshold);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Interlocked.Exchange(ref _threshold, value);
            _peer.Post(() => Channel.BufferedAmountLowThreshold = value);
        }
    }

    /// <summary>Completes when the channel is open; faults if it closes first.</summary>
    public Task WhenOpen => _opened.Task;

    public event Action<WebRtcDataChannel>? Open;

    public event Action<WebRtcDataChannel, DataChannelMessage>? Message;

    public event Action<WebRtcDataChannel>? Close;

    public event Action<WebRtcDataChannel, string>? Error;

    public event Action<WebRtcDataChannel>? BufferedAmountLow;

    /// <summary>Queues a text message (PPID 51, or 56 when empty). Throws when the channel is not open (W3C InvalidStateError).</summary>
    public void Send(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        SendCore(Encoding.UTF8.GetBytes(text), isText: true);
    }

    /// <summary>Queues a binary message (PPID 53, or 57 when empty); the bytes are copied.</summary>
    public void Send(ReadOnlySpan<byte> data) => SendCore(data.ToArray(), isText: false);

    /// <summary>Closes this channel only (SCTP stream reset).</summary>
    public void CloseChannel() => _peer.Post(() => _peer.Session.CloseChannel(_peer.Now, Channel));

    private void SendCore(byte[] data, bool isText)
    {
        if (ReadyState != DataChannelReadyState.Open)
        {
            throw new InvalidOperationException($"data channel '{Label}' is {ReadyState}");
        }

        Interlocked.Add(ref _pendingBytes, data.Length);
        if (BufferedAmount > BufferedAmountLowThreshold)
        {
            Volatile.Write(ref _aboveThreshold, 1);
        }

        // One loop command per burst, not per message: the first send after a flush schedules the next flush, which
        // hands everything queued by then to the session in order (commands posted later still run after it).
        _outgoing.Enqueue((data, isText));
        if (Interlocked.Exchange(ref _flushScheduled, 1) == 0)
        {
            _peer.Post(_flush);
        }
    }

    private void FlushOutgoing()
    {
        // Cleared before draining: a send racing with the drain either is drained now or schedules another flush.
        Volatile.Write(ref _flushScheduled, 0);
        while (_outgoing.TryDequeue(out var message))
        {
            var result = _peer.Session.SendOwned(_peer.Now, Channel, message.Data, message.IsText);
            if (result == DataChannelSendResult.Queued)
            {
                // Moved, not removed: until RefreshBuffered reads SCTP's figure after this loop turn, the bytes count
                // as SCTP-buffered, so BufferedAmount never dips and senders pacing on it cannot overrun the queue.
                Interlocked.Add(ref _sctpBuffered, message.Data.Length);
            }
            else
            {
                _peer.Dispatch(() => Error?.Invoke(this, "send failed: " + result));
            }

            Interlocked.Add(ref _pendingBytes, -message.Data.Length);
        }
    }

    // Loop thread only below.
    internal void RefreshBuffered()
    {
        Interlocked.Exchange(ref _sctpBuffered, Channel.State == DataChannelState.Closed ? 0 : Channel.BufferedAmount);
        CheckBufferedAmountLow();
    }

    internal void OnOpened()
    {
        _state = (int)DataChannelReadyState.Open;
        _peer.Dispatch(() =>
        {
            _opened.TrySetResult();
            Open?.Invoke(this);
        });
    }

    internal void OnMessage(bool isText, byte[] data) => _peer.DispatchMessage(this, isText, data);

    // Dispatcher thread.
    internal void RaiseMessage(bool isText, byte[] data) => Message?.Invoke(this, new DataChannelMessage(isText, data));

    internal void OnClosed()
    {
        _state = (int)DataChannelReadyState.Closed;
        Interlocked.Exchange(ref _sctpBuffered, 0);
        _peer.Dispatch(() =>
        {
            _opened.TrySetException(new WebRtcException($"data channel '{Label}' closed"));
            Close?.Invoke(this);
        });
    }

    internal void OnError(string message) => _peer.Dispatch(() => Error?.Invoke(this, message));

    // The SCTP-level event sees only the association's queue; bytes still posted to the loop count too (W3C
    // bufferedAmount covers every byte given to send()), so the edge is taken on the total, once per crossing.
    internal void OnBufferedAmountLow() => CheckBufferedAmountLow();

    private void CheckBufferedAmountLow()
    {
        if (Volatile.Read(ref _aboveThreshold) == 1 && BufferedAmount <= BufferedAmountLowThreshold
            && _state == (int)DataChannelReadyState.Open && Interlocked.Exchange(ref _aboveThreshold, 0) == 1)
        {
            _peer.Dispatch(() => BufferedAmountLow?.Invoke(this));
        }
    }

    public override string ToString() => $"WebRtcDataChannel {Id} '{Label}' {ReadyState}";
}
