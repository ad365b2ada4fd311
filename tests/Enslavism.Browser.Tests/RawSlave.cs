using System.Net.WebSockets;
using Enslavism.Signaling;

namespace Enslavism.Browser.Tests;

/// <summary>
/// A slave reduced to its signaling: a real ClientWebSocket to /enslavism/slaves speaking protocol version 1 through
/// <see cref="SignalingCodec"/>. It has no WebRTC: tests use it to drive the paths that need none (listing, rejection,
/// leaving). Received frames are kept in order; <see cref="ReceiveAsync{T}"/> waits for the next one that matches.
/// </summary>
public sealed class RawSlave : IAsyncDisposable
{
    private const int MaxFrameBytes = 1024 * 1024;
    private readonly ClientWebSocket _socket;
    private readonly List<SignalingMessage> _received = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly Task _receiveLoop;
    private int _consumed;

    private RawSlave(ClientWebSocket socket)
    {
        _socket = socket;
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>Every frame received so far, in order.</summary>
    public IReadOnlyList<SignalingMessage> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>Connects and registers with <paramref name="userDataJson"/>.</summary>
    public static async Task<RawSlave> ConnectAsync(Uri slavesUri, string userDataJson)
    {
        var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(BrowserFixture.WaitTimeoutMs));
        await socket.ConnectAsync(slavesUri, timeout.Token);
        var slave = new RawSlave(socket);
        await slave.SendAsync(new Register(JsonUserData.Parse(userDataJson)));
        return slave;
    }

    public Task SendAsync(SignalingMessage message) =>
        _socket.SendAsync(SignalingCodec.Encode(message), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);

    /// <summary>Skips frames that do not match until one does; fails after the standard bound.</summary>
    public async Task<T> ReceiveAsync<T>(Func<T, bool>? match = null)
        where T : SignalingMessage
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(BrowserFixture.WaitTimeoutMs));
        while (true)
        {
            try
            {
                await _arrived.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No {typeof(T).Name} arrived; received: {string.Join(", ", Received.Select(m => m.Type))}");
            }

            SignalingMessage next;
            lock (_received)
            {
                next = _received[_consumed++];
            }

            if (next is T typed && (match is null || match(typed)))
            {
                return typed;
            }
        }
    }

    /// <summary>Closes the WebSocket cleanly, as a slave that shuts down does.</summary>
    public async Task CloseAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(BrowserFixture.WaitTimeoutMs));
        if (_socket.State == WebSocketState.Open)
        {
            // Only the close frame: the receive loop, the socket's one reader, takes the master's reply.
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "slave leaves", timeout.Token);
        }

        await _receiveLoop.WaitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await CloseAsync();
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The master already went away, or never answered the close: the abort below ends it either way.
        }

        _socket.Abort();
        await _receiveLoop;
        _socket.Dispose();
        _arrived.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[MaxFrameBytes];
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    length += result.Count;
                }
                while (!result.EndOfMessage && length < buffer.Length && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    // The master closed first: answer at once, or it waits out its close timeout.
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    }

                    return;
                }

                if (!SignalingCodec.TryDecode(buffer.AsSpan(0, length), out var message, out var error, SignalingLimits.FromMaster))
                {
                    throw new InvalidDataException($"The master sent a malformed frame: {error}");
                }

                lock (_received)
                {
                    _received.Add(message!);
                }

                _arrived.Release();
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Closed or aborted: nothing more will arrive.
        }
    }
}
