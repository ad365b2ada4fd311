using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Enslavism.Grains;
using Enslavism.Signaling;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Enslavism.Gateway.Connections;

/// <summary>
/// One accepted WebSocket: a reader loop that decodes and dispatches frames one at a time (so a peer's messages keep
/// their order), and a writer loop that drains a bounded send queue. Nothing else ever writes to the socket, so a slow
/// peer only fills its own queue; when the queue is full the peer is closed, never waited for.
/// </summary>
internal abstract partial class PeerConnection : IDisposable
{
    private const int InitialReceiveBuffer = 4096;
    private const int MaxCloseReasonBytes = 123;

    private readonly WebSocket _socket;
    private readonly Channel<byte[]> _sendQueue;
    private readonly CancellationTokenSource _abort;
    private readonly CancellationTokenRegistration _stoppingRegistration;
    private long _queuedBytes;
    private int _closing;
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string _closeReason = string.Empty;

    protected PeerConnection(WebSocket socket, HttpContext httpContext, EntityKind kind, uint id, int protocolVersion, ConnectionServices services)
    {
        _socket = socket;
        HttpContext = httpContext;
        Kind = kind;
        Id = id;
        ProtocolVersion = protocolVersion;
        Services = services;
        _sendQueue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(services.Options.SendQueueFrames)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _abort = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted);
        _stoppingRegistration = services.Stopping.Register(
            static state => ((PeerConnection)state!).Close(WebSocketCloseStatus.EndpointUnavailable, "master shutting down"),
            this);
    }

    public EntityKind Kind { get; }

    public uint Id { get; }

    /// <summary>The negotiated signaling protocol version.</summary>
    public int ProtocolVersion { get; }

    protected HttpContext HttpContext { get; }

    protected ConnectionServices Services { get; }

    protected EnslavismMasterEvents Events => Services.Options.Events;

    protected bool IsClosing => Volatile.Read(ref _closing) != 0;

    /// <summary>Runs the connection until the socket is closed; then the subclass's cleanup has run.</summary>
    public async Task RunAsync()
    {
        var writer = Task.Run(WriteLoopAsync);
        try
        {
            await OnOpenedAsync().ConfigureAwait(false);
            await ReadLoopAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The peer vanished or the master is stopping: an ordinary end of a connection.
            Log.ConnectionEnded(Services.Logger, Kind, Id, e.Message);
        }
        finally
        {
            Close(WebSocketCloseStatus.NormalClosure, string.Empty);
            await writer.ConfigureAwait(false);
            await OnClosedAsync(_closeStatus, _closeReason).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _stoppingRegistration.Dispose();
        _abort.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Encodes and queues a frame; false (and the peer is closed as a slow consumer) when its queue is full.</summary>
    protected bool TrySend(SignalingMessage message) => TrySend(SignalingCodec.Encode(message));

    protected bool TrySend(byte[] frame)
    {
        if (IsClosing)
        {
            return false;
        }

        if (Interlocked.Add(ref _queuedBytes, frame.Length) > Services.Options.SendQueueBytes || !_sendQueue.Writer.TryWrite(frame))
        {
            Interlocked.Add(ref _queuedBytes, -frame.Length);
            OnSlowConsumer();
            return false;
        }

        return true;
    }

    /// <summary>
    /// Starts closing with a status: frames still queued are dropped, the close frame is sent as soon as the writer is
    /// free, and the socket is aborted if the handshake has not finished within the close timeout.
    /// </summary>
    protected void Close(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        _closeStatus = status;
        _closeReason = TruncateReason(reason);
        _sendQueue.Writer.TryComplete();
        try
        {
            _abort.CancelAfter(Services.Options.CloseTimeout);
        }
        catch (ObjectDisposedException)
        {
            // Already finished.
        }
    }

    /// <summary>Closes the peer for breaking the protocol and reports it.</summary>
    protected async ValueTask FailAsync(EnslavismErrorKind error, WebSocketCloseStatus status, string reason, SignalingErrorKind? signalingError = null)
    {
        if (IsClosing)
        {
            return;
        }

        if (error == EnslavismErrorKind.SlowConsumer)
        {
            Services.Metrics.SlowConsumer(Kind);
            Log.SlowConsumer(Services.Logger, Kind, Id, reason);
        }
        else
        {
            Services.Metrics.ProtocolError(Kind);
            Log.ProtocolViolation(Services.Logger, Kind, Id, status, reason);
        }

        Close(status, reason);
        await RaiseAsync(Events.OnError, new EnslavismErrorContext(Kind, Id, error, reason, signalingError)).ConfigureAwait(false);
    }

    /// <summary>Runs a hook; a hook's exception is logged and does not affect the connection.</summary>
    protected async ValueTask RaiseAsync<T>(Func<T, ValueTask>? hook, T context)
    {
        if (hook is null)
        {
            return;
        }

        try
        {
            await hook(context).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // User code: whatever it throws must not take the connection down.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.HookFailed(Services.Logger, e, typeof(T).Name, Kind, Id);
        }
    }

    protected abstract ValueTask OnOpenedAsync();

    /// <summary>Handles one decoded frame from the peer.</summary>
    protected abstract ValueTask HandleAsync(SignalingMessage message);

    protected abstract ValueTask OnClosedAsync(WebSocketCloseStatus status, string reason);

    protected void OnSlowConsumer()
    {
        var reason = $"SendQueueFull: more than {Services.Options.SendQueueFrames} frames or {Services.Options.SendQueueBytes} bytes waiting";
        _ = FailAsync(EnslavismErrorKind.SlowConsumer, WebSocketCloseStatus.PolicyViolation, reason).AsTask();
    }

    private async Task ReadLoopAsync()
    {
        var maxFrame = Services.Options.MaxFrameBytes;
        var buffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBuffer);
        var count = 0;
        try
        {
            while (true)
            {
                if (count == buffer.Length)
                {
                    buffer = Grow(buffer, count, maxFrame + 1);
                }

                var result = await _socket.ReceiveAsync(buffer.AsMemory(count), _abort.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Close(_socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, _socket.CloseStatusDescription ?? string.Empty);
                    return;
                }

                if (IsClosing)
                {
                    // Draining until the peer answers our close frame; its data no longer matters.
                    count = 0;
                    continue;
                }

                if (result.MessageType == WebSocketMessageType.Text)
                {
                    await FailAsync(EnslavismErrorKind.ProtocolError, WebSocketCloseStatus.InvalidMessageType, "TextFrame: signaling frames are binary").ConfigureAwait(false);
                    continue;
                }

                count += result.Count;
                if (count > maxFrame)
                {
                    await FailAsync(
                        EnslavismErrorKind.MessageTooBig,
                        WebSocketCloseStatus.MessageTooBig,
                        $"{SignalingErrorKind.TooLarge}: frame exceeds {maxFrame} bytes",
                        SignalingErrorKind.TooLarge).ConfigureAwait(false);
                    count = 0;
                    continue;
                }

                if (!result.EndOfMessage)
                {
                    continue;
                }

                await DispatchAsync(buffer.AsMemory(0, count)).ConfigureAwait(false);
                count = 0;
                if (buffer.Length > InitialReceiveBuffer * 4)
                {
                    // Do not keep a 64 KiB buffer per idle connection after one large frame.
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBuffer);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async ValueTask DispatchAsync(ReadOnlyMemory<byte> frame)
    {
        if (!SignalingCodec.TryDecode(frame.Span, out var message, out var error, Services.Limits, ProtocolVersion))
        {
            var status = error.Kind == SignalingErrorKind.TooLarge ? WebSocketCloseStatus.MessageTooBig : WebSocketCloseStatus.ProtocolError;
            await FailAsync(EnslavismErrorKind.ProtocolError, status, error.ToString(), error.Kind).ConfigureAwait(false);
            return;
        }

        await HandleAsync(message!).ConfigureAwait(false);
    }

    private static byte[] Grow(byte[] buffer, int count, int limit)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(Math.Max(buffer.Length * 2, InitialReceiveBuffer), limit));
        buffer.AsSpan(0, count).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(buffer);
        return bigger;
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var frame in _sendQueue.Reader.ReadAllAsync(_abort.Token).ConfigureAwait(false))
            {
                Interlocked.Add(ref _queuedBytes, -frame.Length);
                if (IsClosing)
                {
                    continue;
                }

                await _socket.SendAsync(frame, WebSocketMessageType.Binary, endOfMessage: true, _abort.Token).ConfigureAwait(false);
            }

            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(_closeStatus, _closeReason, _abort.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The socket is gone or the close deadline passed: abort it so the reader ends too.
            Close(WebSocketCloseStatus.EndpointUnavailable, string.Empty);
            _socket.Abort();
        }
    }

    private static string TruncateReason(string reason)
    {
        if (Encoding.UTF8.GetByteCount(reason) <= MaxCloseReasonBytes)
        {
            return reason;
        }

        var length = Math.Min(reason.Length, MaxCloseReasonBytes);
        while (length > 0 && Encoding.UTF8.GetByteCount(reason.AsSpan(0, length)) > MaxCloseReasonBytes - 3)
        {
            length--;
        }

        return string.Concat(reason.AsSpan(0, length), "...");
    }
}
