using System.Net.WebSockets;
using System.Threading.Channels;
using Enslavism.Signaling;

namespace Enslavism.SlaveHost.Tests.Infrastructure;

/// <summary>A browser-less Enslavism client: a plain ClientWebSocket on <c>/enslavism/clients</c> speaking the codec.</summary>
internal sealed class RawClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Channel<SignalingMessage> _received = Channel.CreateUnbounded<SignalingMessage>();
    private readonly Task _pump;

    private RawClient(ClientWebSocket socket)
    {
        _socket = socket;
        _pump = Task.Run(PumpAsync);
    }

    public static async Task<RawClient> ConnectAsync(Uri masterBaseUrl, string? cookieHeader = null)
    {
        var socket = new ClientWebSocket();
        if (cookieHeader is not null)
        {
            socket.Options.SetRequestHeader("Cookie", cookieHeader);
        }

        await socket.ConnectAsync(new Uri(masterBaseUrl, "/enslavism/clients"), CancellationToken.None).Within("the client to connect");
        return new RawClient(socket);
    }

    public async Task<SignalingMessage> ReceiveAsync() =>
        await _received.Reader.ReadAsync().AsTask().Within("a frame from the master");

    public async Task<T> ReceiveAsync<T>()
        where T : SignalingMessage
    {
        var message = await ReceiveAsync();
        return message as T ?? throw new Xunit.Sdk.XunitException($"Expected {typeof(T).Name} from the master, got {message}.");
    }

    /// <summary>Skips list frames that do not mention a slave (the initial empty snapshot) until one that does.</summary>
    public async Task<SlaveEntry> NextAddedSlaveAsync()
    {
        while (true)
        {
            var added = await ReceiveAsync<AddSlaves>();
            if (added.Slaves.Count > 0)
            {
                return Assert.Single(added.Slaves);
            }
        }
    }

    /// <summary>Frames already received and not yet read, without waiting.</summary>
    public IReadOnlyList<SignalingMessage> DrainPending()
    {
        var pending = new List<SignalingMessage>();
        while (_received.Reader.TryRead(out var message))
        {
            pending.Add(message);
        }

        return pending;
    }

    public Task SendAsync(SignalingMessage message) =>
        _socket.SendAsync(SignalingCodec.Encode(message), WebSocketMessageType.Binary, true, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        await _pump;
        _socket.Dispose();
    }

    private async Task PumpAsync()
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (true)
            {
                var filled = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(filled), CancellationToken.None);
                    filled += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                if (!SignalingCodec.TryDecode(buffer.AsSpan(0, filled), out var message, out var error, SignalingLimits.FromMaster))
                {
                    _received.Writer.TryComplete(new InvalidOperationException($"The master sent a malformed frame: {error}"));
                    return;
                }

                _received.Writer.TryWrite(message!);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }

        _received.Writer.TryComplete();
    }
}
