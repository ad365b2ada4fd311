using System.Net.WebSockets;
using System.Threading.Channels;
using Enslavism.Signaling;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;

namespace Enslavism.SlaveHost.Tests.Infrastructure;

/// <summary>The master's end of one slave connection in <see cref="FakeMaster"/>: decodes what the slave sends, sends frames.</summary>
internal sealed class FakeSlaveSocket(WebSocket socket, HttpContext context)
{
    private readonly Channel<SignalingMessage> _received = Channel.CreateUnbounded<SignalingMessage>();
    private readonly TaskCompletionSource<(WebSocketCloseStatus? Status, string? Description)> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private volatile TaskCompletionSource? _readingPaused;

    /// <summary>Completes with the slave's close status when it closes the socket (null status if the connection broke).</summary>
    public Task<(WebSocketCloseStatus? Status, string? Description)> Closed => _closed.Task;

    public async Task<SignalingMessage> ReceiveAsync() =>
        await _received.Reader.ReadAsync().AsTask().Within("a frame from the slave");

    public async Task<T> ReceiveAsync<T>()
        where T : SignalingMessage
    {
        var message = await ReceiveAsync();
        return message as T ?? throw new Xunit.Sdk.XunitException($"Expected {typeof(T).Name} from the slave, got {message}.");
    }

    /// <summary>True if nothing else arrived (the slave sent nothing unexpected before closing).</summary>
    public bool TryReceive(out SignalingMessage? message) => _received.Reader.TryRead(out message);

    public Task SendAsync(SignalingMessage message) => SendRawAsync(SignalingCodec.Encode(message));

    public async Task SendRawAsync(byte[] frame, WebSocketMessageType type = WebSocketMessageType.Binary)
    {
        await _sendLock.WaitAsync();
        try
        {
            await socket.SendAsync(frame, type, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async Task CloseAsync(WebSocketCloseStatus status, string description)
    {
        await _sendLock.WaitAsync();
        try
        {
            await socket.CloseOutputAsync(status, description, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Stops reading from the socket (so the slave's sends back up) until <see cref="ResumeReading"/>.</summary>
    public void PauseReading() => _readingPaused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ResumeReading() => _readingPaused?.TrySetResult();

    /// <summary>Drops the TCP connection without a close frame.</summary>
    public void Abort() => context.Abort();

    internal async Task PumpAsync()
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (true)
            {
                var filled = 0;
                ValueWebSocketReceiveResult result;
                if (_readingPaused is { } paused)
                {
                    await paused.Task;
                    _readingPaused = null;
                }

                do
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(filled), CancellationToken.None);
                    filled += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _closed.TrySetResult((socket.CloseStatus, socket.CloseStatusDescription));
                    if (socket.State == WebSocketState.CloseReceived)
                    {
                        await CloseAsync(WebSocketCloseStatus.NormalClosure, string.Empty);
                    }

                    return;
                }

                if (!SignalingCodec.TryDecode(buffer.AsSpan(0, filled), out var message, out var error))
                {
                    // Fails the test's next ReceiveAsync instead of passing silently.
                    _received.Writer.TryComplete(new InvalidOperationException($"The slave sent a malformed frame: {error}"));
                    return;
                }

                _received.Writer.TryWrite(message!);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ConnectionAbortedException)
        {
            _closed.TrySetResult((null, null));
        }
        finally
        {
            _received.Writer.TryComplete();
        }
    }
}
