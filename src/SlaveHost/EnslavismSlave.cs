using System.Diagnostics.Metrics;
using System.Net;
using Enslavism.SlaveHost.WebRtcHosting;
using Enslavism.Signaling;
using Microsoft.Extensions.Logging;

namespace Enslavism.SlaveHost;

/// <summary>
/// A slave with its WebRTC stack: a <see cref="SlaveConnection"/> to the master plus one UDP
/// <see cref="WebRtc.Host.WebRtcEndpoint"/> for every client. Set <see cref="OfferAdmission"/> and handle
/// <see cref="ClientConnected"/>, then <see cref="ConnectAsync"/>. Disposing it unregisters, closes every client
/// (each raises <see cref="ClientConnection.Closed"/>) and the socket.
/// </summary>
public sealed class EnslavismSlave : IAsyncDisposable
{
    private readonly WebRtcPeerConnectionFactory _peers;
    private readonly SlaveConnection _connection;
    private int _disposed;

    public EnslavismSlave(
        SlaveOptions? options = null,
        SlaveWebRtcOptions? webRtcOptions = null,
        ILoggerFactory? loggerFactory = null,
        IMeterFactory? meterFactory = null,
        TimeProvider? timeProvider = null)
    {
        _peers = new WebRtcPeerConnectionFactory(webRtcOptions ?? new SlaveWebRtcOptions(), loggerFactory);
        try
        {
            _connection = new SlaveConnection(_peers, options, loggerFactory, meterFactory, timeProvider);
        }
        catch
        {
            _peers.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }

        _connection.ClientAccepted += OnClientAccepted;
        _connection.Disconnected += (_, e) => Disconnected?.Invoke(this, e);
    }

    /// <summary>
    /// Decides on each offer; null accepts every offer up to <see cref="SlaveOptions.MaxClients"/>. A rejected client's
    /// promise rejects with <c>SlaveRejected</c>. Under protocol version 2 <see cref="IncomingOffer.Client"/> carries the
    /// client's auth data (its cookies at the master) and address; under version 1 it is null.
    /// </summary>
    public OfferAdmissionHandler? OfferAdmission
    {
        get => _connection.OfferAdmission;
        set => _connection.OfferAdmission = value;
    }

    /// <summary>A client's offer was accepted; attach to its <see cref="ClientConnection.DataChannel"/> here.</summary>
    public event EventHandler<ClientConnectedEventArgs>? ClientConnected;

    /// <summary>The connection to the master ended (after every client was closed). Raised once.</summary>
    public event EventHandler<SlaveDisconnectedEventArgs>? Disconnected;

    /// <summary>Completes when the connection to the master has ended.</summary>
    public Task<SlaveDisconnectedEventArgs> Completion => _connection.Completion;

    /// <summary>The bound UDP address of the WebRTC socket.</summary>
    public IPEndPoint LocalEndPoint => _peers.Endpoint.LocalEndPoint;

    /// <summary>Client connections not yet closed.</summary>
    public int ClientCount => _peers.ClientCount;

    /// <summary>WebRTC sessions alive on the socket (each holds DTLS and SCTP state).</summary>
    public int LiveSessions => _peers.Endpoint.LiveSessions;

    /// <summary>The signaling connection, for its lower-level events.</summary>
    public SlaveConnection Connection => _connection;

    /// <inheritdoc cref="SlaveConnection.ConnectAsync"/>
    public Task ConnectAsync(
        Uri masterUrl,
        JsonUserData userData,
        IReadOnlyDictionary<string, string>? authData = null,
        CancellationToken cancellationToken = default) =>
        _connection.ConnectAsync(masterUrl, userData, authData, cancellationToken);

    /// <inheritdoc cref="SlaveConnection.TryUpdateUserData"/>
    public bool TryUpdateUserData(JsonUserData userData) => _connection.TryUpdateUserData(userData);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _connection.DisposeAsync().ConfigureAwait(false);
        await _peers.DisposeAsync().ConfigureAwait(false);
    }

    private void OnClientAccepted(object? sender, ClientAcceptedEventArgs e)
    {
        if (WebRtcPeerConnectionFactory.ClientOf(e.PeerConnection) is not { } client || ClientConnected is not { } handlers)
        {
            return;
        }

        // Every handler runs even if one throws; the failures reach SlaveConnection, which logs them.
        var args = new ClientConnectedEventArgs(client);
        List<Exception>? failures = null;
        foreach (var handler in handlers.GetInvocationList().Cast<EventHandler<ClientConnectedEventArgs>>())
        {
            try
            {
                handler(this, args);
            }
            catch (Exception failure)
            {
                (failures ??= []).Add(failure);
            }
        }

        if (failures is not null)
        {
            throw new AggregateException("A ClientConnected handler threw.", failures);
        }
    }
}
