using System.Diagnostics;
using System.Net.WebSockets;
using Enslavism.Signaling;

namespace Enslavism.Bench.Cluster;

/// <summary>
/// A slave or client speaking the signaling codec over a raw <see cref="ClientWebSocket"/>. One receive loop hands every
/// decoded frame, stamped on arrival, to <see cref="OnMessage"/>; a reply it returns is sent before the next frame is
/// read, which gives a responding slave natural back-pressure.
/// </summary>
internal sealed class BenchPeer : IAsyncDisposable
{
    private static readonly TimeSpan IoTimeout = TimeSpan.FromSeconds(15);
    private readonly ClientWebSocket _socket;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;
    private long _decodeErrors;

    private BenchPeer(ClientWebSocket socket) => _socket = socket;

    /// <summary>Called on the receive loop with each frame and its arrival <see cref="Stopwatch.GetTimestamp"/>.</summary>
    public Func<SignalingMessage, long, SignalingMessage?>? OnMessage { get; set; }

    /// <summary>Completes with the reason when the socket closes or fails.</summary>
    public Task<string> Closed => _closed.Task;

    public long DecodeErrors => Interlocked.Read(ref _decodeErrors);

    public static async Task<BenchPeer> ConnectAsync(Uri uri)
    {
        var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(IoTimeout);
        await socket.ConnectAsync(uri, timeout.Token);
        return new BenchPeer(socket);
    }

    /// <summary>Starts the receive loop; set <see cref="OnMessage"/> first.</summary>
    public void Start() => _loop = Task.Run(ReceiveLoopAsync);

    public async Task SendAsync(SignalingMessage message)
    {
        var frame = SignalingCodec.Encode(message);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(IoTimeout);
        await _sendLock.WaitAsync(timeout.Token);
        try
        {
            await _socket.SendAsync(frame, WebSocketMessageType.Binary, endOfMessage: true, timeout.Token);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Drops the connection without a close handshake, as a crashing process would.</summary>
    public void Abort() => _socket.Abort();

    public async Task CloseAsync()
    {
        if (_socket.State != WebSocketState.Open)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(IoTimeout);
        try
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            await _closed.Task.WaitAsync(timeout.Token);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or TimeoutException)
        {
            _socket.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Abort();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // The loop ends by cancellation here.
        }

        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        using var frame = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    // Complete the close handshake as a browser does, so the master is not left waiting for it.
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", _stop.Token);
                    }

                    _closed.TrySetResult($"closed {_socket.CloseStatus} {_socket.CloseStatusDescription}");
                    return;
                }

                frame.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var arrived = Stopwatch.GetTimestamp();
                var ok = SignalingCodec.TryDecode(frame.ToArray(), out var message, out _, SignalingLimits.FromMaster);
                frame.SetLength(0);
                if (!ok)
                {
                    Interlocked.Increment(ref _decodeErrors);
                    continue;
                }

                if (OnMessage?.Invoke(message!, arrived) is { } reply)
                {
                    await SendAsync(reply);
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _closed.TrySetResult(exception.GetType().Name);
        }
        finally
        {
            _closed.TrySetResult("stopped");
        }
    }
}
