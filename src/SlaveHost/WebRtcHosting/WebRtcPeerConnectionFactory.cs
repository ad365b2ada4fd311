using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Enslavism.SlaveHost.PeerConnections;
using Enslavism.WebRtc.Host;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Enslavism.SlaveHost.WebRtcHosting;

/// <summary>
/// The WebRTC side of a slave: one <see cref="WebRtcEndpoint"/> (one UDP socket) serving every client. Disposing it
/// closes the socket and every session still open.
/// </summary>
public sealed class WebRtcPeerConnectionFactory : IPeerConnectionFactory, IAsyncDisposable
{
    private readonly ConcurrentDictionary<WebRtcClientPeer, byte> _live = new();
    private readonly ILogger _clientLogger;

    public WebRtcPeerConnectionFactory(SlaveWebRtcOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _clientLogger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ClientConnection>();
        SlaveWebRtcOptionsValidator.ThrowIfInvalid(options);
        Endpoint = Bind(options);
    }

    /// <summary>The UDP endpoint; <see cref="WebRtcEndpoint.LocalEndPoint"/> is the bound port, <see cref="WebRtcEndpoint.LiveSessions"/> the WebRTC sessions alive.</summary>
    public WebRtcEndpoint Endpoint { get; }

    /// <summary>Client connections created and not yet released.</summary>
    public int ClientCount => _live.Count;

    /// <summary>The client connection behind a peer this factory created (e.g. from <see cref="ClientAcceptedEventArgs.PeerConnection"/>).</summary>
    public static ClientConnection? ClientOf(IPeerConnection peer) => (peer as WebRtcClientPeer)?.Client;

    public IPeerConnection CreatePeerConnection(uint clientId)
    {
        var peer = new WebRtcClientPeer(clientId, Endpoint, released => _live.TryRemove(released, out _), _clientLogger);
        _live.TryAdd(peer, 0);
        return peer;
    }

    public ValueTask DisposeAsync() => Endpoint.DisposeAsync();

    private static WebRtcEndpoint Bind(SlaveWebRtcOptions options)
    {
        var address = IPAddress.Parse(options.BindAddress);
        var announced = options.AnnouncedAddresses.Select(IPAddress.Parse).ToArray();
        var last = options.PortRangeEnd == 0 ? options.Port : options.PortRangeEnd;
        SocketException? lastError = null;
        for (var port = options.Port; port <= last; port++)
        {
            try
            {
                return new WebRtcEndpoint(new WebRtcEndpointOptions
                {
                    BindEndPoint = new IPEndPoint(address, port),
                    AnnouncedAddresses = announced,
                    LoopbackOnly = options.LoopbackOnly,
                    MaxSessions = options.MaxSessions,
                    MaxConcurrentHandshakes = options.MaxConcurrentHandshakes,
                    MaxMessageSize = options.MaxMessageSize,
                });
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                // Try the next port of the range.
                lastError = e;
            }
        }

        throw new SocketException((int)SocketError.AddressAlreadyInUse, $"No free UDP port in {options.Port}-{last} on {address}: {lastError?.Message}");
    }
}
