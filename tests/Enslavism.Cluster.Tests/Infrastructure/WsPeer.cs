using System.Net.WebSockets;
using Enslavism.Signaling;

namespace Enslavism.Cluster.Tests.Infrastructure;

/// <summary>A slave or client speaking the signaling codec over a real <see cref="ClientWebSocket"/>.</summary>
public sealed class WsPeer : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private readonly ClientWebSocket _socket;

    private WsPeer(ClientWebSocket socket) => _socket = socket;

    public static async Task<WsPeer> ConnectAsync(Uri uri, string? subProtocol = null, string? cookieHeader = null)
    {
        var socket = new ClientWebSocket();
        if (subProtocol is not null)
        {
            socket.Options.AddSubProtocol(subProtocol);
        }

        if (cookieHeader is not null)
        {
            socket.Options.SetRequestHeader("Cookie", cookieHeader);
        }

        using var timeout = new CancellationTokenSource(Timeout);
        await socket.ConnectAsync(uri, timeout.Token);
        return new WsPeer(socket);
    }

    /// <summary>The negotiated protocol version, used to decode what the master sends.</summary>
    public int Version => _socket.SubProtocol == "enslavism.v2" ? SignalingCodec.Version2 : SignalingCodec.Version1;

    public async Task SendAsync(SignalingMessage message)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await _socket.SendAsync(SignalingCodec.Encode(message), WebSocketMessageType.Binary, endOfMessage: true, timeout.Token);
    }

    public async Task<SignalingMessage> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        using var frame = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"closed: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
            }

            frame.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                Assert.True(SignalingCodec.TryDecode(frame.ToArray(), out var message, out var error, SignalingLimits.FromMaster, Version), error.ToString());
                return message!;
            }
        }
    }

    public async Task<T> ReceiveAsync<T>()
        where T : SignalingMessage => Assert.IsType<T>(await ReceiveAsync());

    public async Task CloseAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>A client's view of the slave list, built from AddSlaves/RemoveSlaves frames as a browser builds it.</summary>
public sealed class ClientListView
{
    private readonly WsPeer _peer;

    public ClientListView(WsPeer peer) => _peer = peer;

    public Dictionary<uint, JsonUserData> Slaves { get; } = [];

    /// <summary>Reads list frames until the condition holds; any other frame fails the test.</summary>
    public async Task WaitUntilAsync(Func<IReadOnlyDictionary<uint, JsonUserData>, bool> condition)
    {
        while (!condition(Slaves))
        {
            switch (await _peer.ReceiveAsync())
            {
                case AddSlaves added:
                    foreach (var slave in added.Slaves)
                    {
                        Slaves[slave.Id] = slave.UserData;
                    }

                    break;
                case RemoveSlaves removed:
                    foreach (var id in removed.Ids)
                    {
                        Assert.True(Slaves.Remove(id), $"removal of unlisted slave {id}");
                    }

                    break;
                case var other:
                    Assert.Fail($"unexpected {other}");
                    break;
            }
        }
    }
}
