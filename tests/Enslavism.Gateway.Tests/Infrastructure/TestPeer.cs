using System.Net.WebSockets;
using Enslavism.Signaling;

namespace Enslavism.Gateway.Tests.Infrastructure;

/// <summary>A slave or client speaking the signaling codec over a real <see cref="ClientWebSocket"/>.</summary>
internal sealed class TestPeer : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private TestPeer(ClientWebSocket socket) => Socket = socket;

    public ClientWebSocket Socket { get; }

    public static async Task<TestPeer> ConnectAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        configure?.Invoke(socket.Options);
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await socket.ConnectAsync(uri, timeout.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new TestPeer(socket);
    }

    public Task SendAsync(SignalingMessage message) => SendRawAsync(SignalingCodec.Encode(message));

    public async Task SendRawAsync(byte[] frame, WebSocketMessageType type = WebSocketMessageType.Binary)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await Socket.SendAsync(frame, type, endOfMessage: true, timeout.Token);
    }

    /// <summary>Receives the next frame and decodes it with the negotiated version; fails on a close, a timeout or an undecodable frame.</summary>
    public async Task<SignalingMessage> ReceiveAsync()
    {
        var (type, frame) = await ReceiveFrameAsync();
        Assert.True(type == WebSocketMessageType.Binary, $"expected a binary frame, got {type} ({Socket.CloseStatus} {Socket.CloseStatusDescription})");
        var version = Socket.SubProtocol == "enslavism.v2" ? SignalingCodec.Version2 : SignalingCodec.Version1;
        Assert.True(SignalingCodec.TryDecode(frame, out var message, out var error, SignalingLimits.FromMaster, version), error.ToString());
        return message!;
    }

    public async Task<T> ReceiveAsync<T>()
        where T : SignalingMessage
    {
        var message = await ReceiveAsync();
        return Assert.IsType<T>(message);
    }

    /// <summary>Reads until the master closes; returns the close status and reason.</summary>
    public async Task<(WebSocketCloseStatus? Status, string? Reason)> ReceiveCloseAsync()
    {
        while (true)
        {
            var (type, _) = await ReceiveFrameAsync();
            if (type == WebSocketMessageType.Close)
            {
                // Complete the handshake, as a well-behaved peer does.
                if (Socket.State == WebSocketState.CloseReceived)
                {
                    using var timeout = new CancellationTokenSource(Timeout);
                    await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                }

                return (Socket.CloseStatus, Socket.CloseStatusDescription);
            }
        }
    }

    public async Task<(WebSocketMessageType Type, byte[] Frame)> ReceiveFrameAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        using var frame = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var result = await Socket.ReceiveAsync(buffer, timeout.Token);
            frame.Write(buffer, 0, result.Count);
            if (result.EndOfMessage || result.MessageType == WebSocketMessageType.Close)
            {
                return (result.MessageType, frame.ToArray());
            }
        }
    }

    public async Task CloseAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
    }

    public ValueTask DisposeAsync()
    {
        Socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
