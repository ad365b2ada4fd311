using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Enslavism.SlaveHost.Tests.Infrastructure;

/// <summary>
/// Accepts one WebSocket upgrade by hand and then never reads or writes again: a master that hangs without closing
/// the TCP connection. Kestrel answers pings by itself, so this case needs a raw socket.
/// </summary>
internal sealed class SilentWebSocketServer : IDisposable
{
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private TcpClient? _client;

    public SilentWebSocketServer()
    {
        _listener.Start();
        BaseUrl = new Uri($"ws://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
    }

    public Uri BaseUrl { get; }

    /// <summary>Accepts the slave's connection and answers its upgrade with 101.</summary>
    public async Task AcceptOneAsync()
    {
        _client = await _listener.AcceptTcpClientAsync();
        var stream = _client.GetStream();
        var request = new StringBuilder();
        var buffer = new byte[1];
        while (!request.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && request.Length < 16 * 1024)
        {
            if (await stream.ReadAsync(buffer) == 0)
            {
                throw new IOException("the slave closed during the upgrade");
            }

            request.Append((char)buffer[0]);
        }

        var key = request.ToString().Split("\r\n")
            .Single(line => line.StartsWith("Sec-WebSocket-Key:", StringComparison.OrdinalIgnoreCase))["Sec-WebSocket-Key:".Length..].Trim();
#pragma warning disable CA5350 // RFC 6455 defines the accept key with SHA-1; it is not used for security here.
        var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));
#pragma warning restore CA5350
        var response = $"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(response));
    }

    public void Dispose()
    {
        _client?.Dispose();
        _listener.Stop();
        _listener.Dispose();
    }
}
