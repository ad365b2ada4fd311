using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net.WebSockets;
using System.Threading.Channels;
using Enslavism.SlaveHost.PeerConnections;
using Enslavism.Signaling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Enslavism.SlaveHost;

/// <summary>
/// A slave's signaling connection to an Enslavism master: registers the slave, admits client offers, hands accepted ones
/// to an <see cref="IPeerConnectionFactory"/>, and relays answers and ICE candidates. Configure the handlers and events,
/// then call <see cref="ConnectAsync"/> once; dispose to close.
/// </summary>
/// <example>
/// <code>
/// await using var slave = new SlaveConnection(peerConnections, new SlaveOptions(), loggerFactory);
/// slave.OfferAdmission = (offer, ct) => ValueTask.FromResult(players &lt; 16 ? OfferDecision.Accept : OfferDecision.Reject);
/// slave.ClientAccepted += (_, e) => AttachGame(e.ClientId, e.PeerConnection);
/// await slave.ConnectAsync(new Uri("ws://127.0.0.1:8081"), JsonUserData.Parse("""{"name":"eu-1"}"""), auth, ct);
/// var end = await slave.Completion;
/// </code>
/// </example>
public sealed partial class SlaveConnection : IAsyncDisposable, ISessionHost
{
    private readonly IPeerConnectionFactory _peerConnectionFactory;
    private readonly SlaveOptions _options;
    private readonly SignalingLimits _limits;
    private readonly ILogger _logger;
    private readonly SlaveMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly Channel<byte[]> _outgoing;
    private readonly Lock _sessionsGate = new();
    private readonly Dictionary<uint, ClientSession> _sessions = [];
    private readonly ConcurrentDictionary<Task, byte> _background = new();
    private readonly TaskCompletionSource<SlaveDisconnectedEventArgs> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _abort = new();
    private ClientWebSocket? _socket;
    private HttpMessageInvoker? _invoker;
    private Task? _sendLoop;
    private Task? _receiveLoop;
    private int _started;
    private volatile bool _disposing;
    private int _disposed;
    private Exception? _sendFailure;

    public SlaveConnection(
        IPeerConnectionFactory peerConnectionFactory,
        SlaveOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        IMeterFactory? meterFactory = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(peerConnectionFactory);
        _options = options ?? new SlaveOptions();
        SlaveOptionsValidator.ThrowIfInvalid(_options);
        _peerConnectionFactory = peerConnectionFactory;
        _limits = new SignalingLimits { MaxFrameBytes = _options.MaxIncomingFrameBytes };
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<SlaveConnection>();
        _metrics = new SlaveMetrics(meterFactory);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _outgoing = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(_options.MaxOutgoingFrames)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>
    /// Decides on each offer; null accepts every offer (up to <see cref="SlaveOptions.MaxClients"/>). Set it before
    /// <see cref="ConnectAsync"/>: offers can arrive as soon as the slave is registered.
    /// </summary>
    public OfferAdmissionHandler? OfferAdmission { get; set; }

    /// <summary>An offer was admitted and its peer connection created; raised before the answer is computed.</summary>
    public event EventHandler<ClientAcceptedEventArgs>? ClientAccepted;

    /// <summary>A session announced by <see cref="ClientAccepted"/> ended; its peer connection has been disposed.</summary>
    public event EventHandler<ClientReleasedEventArgs>? ClientReleased;

    /// <summary>The signaling connection ended, after all client sessions were released. Raised once.</summary>
    public event EventHandler<SlaveDisconnectedEventArgs>? Disconnected;

    /// <summary>Completes when the connection has ended (or failed to open), with the same value <see cref="Disconnected"/> carries.</summary>
    public Task<SlaveDisconnectedEventArgs> Completion => _completion.Task;

    /// <summary>Client sessions currently held (admitting, answering or connected).</summary>
    public int ClientCount
    {
        get
        {
            lock (_sessionsGate)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>
    /// Opens the WebSocket to <c>{masterUrl}/enslavism/slaves</c>, sending <paramref name="authData"/> as cookies, then
    /// registers <paramref name="userData"/>. Throws <see cref="SlaveAuthRejectedException"/> when the master refuses the
    /// auth data, <see cref="SlaveConnectException"/> for other refusals and network errors, and
    /// <see cref="TimeoutException"/> after <see cref="SlaveOptions.ConnectTimeout"/>.
    /// </summary>
    public async Task ConnectAsync(
        Uri masterUrl,
        JsonUserData userData,
        IReadOnlyDictionary<string, string>? authData = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userData);
        if (userData.Length > SlaveEntry.MaxUserDataBytes)
        {
            throw new ArgumentException($"User data is {userData.Length} bytes; the protocol allows {SlaveEntry.MaxUserDataBytes}.", nameof(userData));
        }

        var uri = MasterUri.ForSlaves(masterUrl);
        var cookieHeader = AuthCookies.ToCookieHeader(authData);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("ConnectAsync can be called only once; create a new SlaveConnection to reconnect.");
        }

        Log.Connecting(_logger, uri);
        try
        {
            await OpenSocketAsync(uri, cookieHeader, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _completion.TrySetResult(new SlaveDisconnectedEventArgs(SlaveDisconnectReason.ConnectionLost, null, null, e));
            throw;
        }

        if (_disposing)
        {
            // DisposeAsync ran while the upgrade was in flight and has already completed; do not start the loops.
            _socket!.Abort();
            _socket.Dispose();
            _invoker!.Dispose();
            throw new ObjectDisposedException(nameof(SlaveConnection));
        }

        // Register is the first frame on the queue, so nothing can overtake it.
        TrySend(new Register(userData));
        _sendLoop = Task.Run(SendLoopAsync, CancellationToken.None);
        _receiveLoop = Task.Run(ReceiveLoopAsync, CancellationToken.None);
        Log.Connected(_logger, uri);
    }

    /// <summary>
    /// Registers again with new user data; the master relists the slave under the same id with the new data (the Gateway
    /// sends clients RemoveSlaves then AddSlaves). Returns false when the connection is not open or the outgoing queue is full.
    /// </summary>
    public bool TryUpdateUserData(JsonUserData userData)
    {
        ArgumentNullException.ThrowIfNull(userData);
        if (userData.Length > SlaveEntry.MaxUserDataBytes)
        {
            throw new ArgumentException($"User data is {userData.Length} bytes; the protocol allows {SlaveEntry.MaxUserDataBytes}.", nameof(userData));
        }

        return _receiveLoop is not null && !_disposing && !Completion.IsCompleted && TrySend(new Register(userData));
    }

    /// <summary>
    /// Sends what is queued, closes the WebSocket with a normal closure, releases every client session and raises
    /// <see cref="Disconnected"/>; aborts the socket if the master does not answer within <see cref="SlaveOptions.CloseTimeout"/>.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            await Completion.ConfigureAwait(false);
            return;
        }

        _disposing = true;
        if (_receiveLoop is not null)
        {
            _outgoing.Writer.TryComplete();
            try
            {
                await Completion.WaitAsync(_options.CloseTimeout, _timeProvider).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Log.CloseTimedOut(_logger, _options.CloseTimeout);
                await _abort.CancelAsync().ConfigureAwait(false);
                _socket?.Abort();
                await Completion.ConfigureAwait(false);
            }
        }
        else
        {
            _completion.TrySetResult(new SlaveDisconnectedEventArgs(SlaveDisconnectReason.Disposed, null, null, null));
        }

        _abort.Dispose();
        _metrics.Dispose();
    }

    bool ISessionHost.TrySend(SignalingMessage message) => TrySend(message);

    void ISessionHost.CandidateDropped(uint clientId, string reason)
    {
        _metrics.CandidateDropped(reason);
        Log.CandidateDropped(_logger, clientId, reason);
    }

    void ISessionHost.RemoteCandidateFailed(uint clientId, Exception exception) =>
        Log.RemoteCandidateFailed(_logger, clientId, exception);

    void ISessionHost.PeerClosed(ClientSession session) => Track(ReleaseAsync(session, ClientReleaseReason.PeerClosed));

    private void Track(Task task)
    {
        if (task.IsCompleted)
        {
            return;
        }

        _background.TryAdd(task, 0);
        task.ContinueWith(static (t, state) => ((ConcurrentDictionary<Task, byte>)state!).TryRemove(t, out _), _background, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Raise<T>(EventHandler<T>? handler, T args, string eventName)
    {
        if (handler is null)
        {
            return;
        }

        // One by one: a multicast call would stop at the first throwing handler and skip the others' subscribers.
        foreach (var single in handler.GetInvocationList().Cast<EventHandler<T>>())
        {
            try
            {
                single(this, args);
            }
            catch (Exception e)
            {
                // A handler bug must not take the receive loop, other subscribers or other clients down with it.
                _metrics.HandlerFailed(eventName);
                Log.EventHandlerFailed(_logger, eventName, e);
            }
        }
    }
}
