using Enslavism.WebRtc.Host;
using Enslavism.WebRtc.Session;
using Microsoft.Extensions.Logging;

namespace Enslavism.SlaveHost;

/// <summary>
/// One browser client connected to this slave over WebRTC. Its data channels arrive through <see cref="DataChannel"/>;
/// <see cref="Closed"/> is raised exactly once when the client goes away for any reason (it left, its consent expired,
/// DTLS or SCTP failed, or this slave released it), after every channel has closed.
/// </summary>
/// <remarks>
/// Events are raised on the WebRTC endpoint's event thread, serially and in order (<see cref="Closed"/> may instead be
/// raised on the thread that releases the client). A slow handler delays the other clients' events, not the network.
/// </remarks>
public sealed partial class ClientConnection
{
    private readonly Lock _gate = new();
    private readonly List<WebRtcDataChannel> _channels = [];
    private readonly TaskCompletionSource<ClientClosedEventArgs> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _logger;
    private PeerConnection? _peer;
    private bool _wasConnected;

    internal ClientConnection(uint clientId, ILogger logger)
    {
        ClientId = clientId;
        _logger = logger;
    }

    /// <summary>The master's id for this client on this slave connection; not an identity, reused after the client leaves.</summary>
    public uint ClientId { get; }

    /// <summary>The client opened a data channel.</summary>
    public event EventHandler<DataChannelOpenedEventArgs>? DataChannel;

    /// <summary>The connection ended; raised once.</summary>
    public event EventHandler<ClientClosedEventArgs>? Closed;

    /// <summary>Completes with the same value <see cref="Closed"/> carries (for code that subscribes late).</summary>
    public Task<ClientClosedEventArgs> Completion => _closed.Task;

    public bool IsClosed => _closed.Task.IsCompleted;

    /// <summary>The data channels that are open or opening now.</summary>
    public IReadOnlyList<WebRtcDataChannel> DataChannels
    {
        get
        {
            lock (_gate)
            {
                return [.. _channels];
            }
        }
    }

    /// <summary>The underlying peer connection; null until the offer is answered.</summary>
    public PeerConnection? PeerConnection
    {
        get
        {
            lock (_gate)
            {
                return _peer;
            }
        }
    }

    /// <summary>Ends the connection gracefully (SCTP shutdown, DTLS close_notify); <see cref="Closed"/> follows.</summary>
    public void Close()
    {
        var peer = PeerConnection;
        if (peer is null)
        {
            // Not answered yet: the release path will end it once the session is dropped.
            Complete(ClientCloseReason.ClosedBySlave, "closed before the answer");
            return;
        }

        peer.Close();
    }

    public override string ToString() => $"client {ClientId}";

    internal void Attach(PeerConnection peer)
    {
        lock (_gate)
        {
            _peer = peer;
        }

        peer.Connected += _ =>
        {
            lock (_gate)
            {
                _wasConnected = true;
            }
        };
        peer.DataChannel += OnDataChannel;
    }

    /// <summary>Raises <see cref="Closed"/> unless it was raised already; false when it was.</summary>
    internal bool Complete(ClientCloseReason reason, string detail)
    {
        var args = new ClientClosedEventArgs(reason, detail);
        if (!_closed.TrySetResult(args))
        {
            return false;
        }

        lock (_gate)
        {
            _channels.Clear();
        }

        Raise(Closed, args, nameof(Closed));
        return true;
    }

    /// <summary>Completes with the reason the WebRTC session ended (the owner calls this once the session is closed).</summary>
    internal void OnSessionClosed(SessionClosed closed)
    {
        bool wasConnected;
        lock (_gate)
        {
            wasConnected = _wasConnected;
        }

        Complete(Map(closed.Reason, wasConnected), closed.Detail);
    }

    private static ClientCloseReason Map(SessionCloseReason reason, bool wasConnected) => reason switch
    {
        SessionCloseReason.Shutdown or SessionCloseReason.SctpAbort or SessionCloseReason.DtlsClosedByPeer => ClientCloseReason.ClientLeft,
        SessionCloseReason.ConsentLost or SessionCloseReason.Timeout => ClientCloseReason.ConnectionLost,
        SessionCloseReason.IceConnectTimeout => ClientCloseReason.ConnectFailed,
        SessionCloseReason.DtlsFailed => wasConnected ? ClientCloseReason.ProtocolError : ClientCloseReason.ConnectFailed,
        SessionCloseReason.ProtocolError => ClientCloseReason.ProtocolError,
        _ => ClientCloseReason.ClosedBySlave,
    };

    private void OnDataChannel(WebRtcDataChannel channel)
    {
        lock (_gate)
        {
            _channels.Add(channel);
        }

        channel.Close += OnChannelClosed;
        Raise(DataChannel, new DataChannelOpenedEventArgs(channel), nameof(DataChannel));
    }

    private void Raise<T>(EventHandler<T>? handler, T args, string eventName)
    {
        if (handler is null)
        {
            return;
        }

        // One by one: a throwing handler must not starve the others, skip the release that follows, or reach the
        // WebRTC event thread.
        foreach (var single in handler.GetInvocationList().Cast<EventHandler<T>>())
        {
            try
            {
                single(this, args);
            }
            catch (Exception e)
            {
                Log.HandlerFailed(_logger, ClientId, eventName, e);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "A {EventName} handler of client {ClientId} threw", EventName = "ClientHandlerFailed")]
        public static partial void HandlerFailed(ILogger logger, uint clientId, string eventName, Exception exception);
    }

    private void OnChannelClosed(WebRtcDataChannel channel)
    {
        lock (_gate)
        {
            _channels.Remove(channel);
        }
    }
}
