using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Enslavism.WebRtc.Core;
using Enslavism.WebRtc.Dtls;
using Enslavism.WebRtc.Session;
using Enslavism.WebRtc.Stun;

namespace Enslavism.WebRtc.Host;

/// <summary>
/// The I/O host of the sans-IO stack: one UDP socket, many <see cref="WebRtcSession"/>s (answerers and offerers).
/// <list type="bullet">
/// <item>ONE event-loop thread owns every session and is the socket's only reader: each turn it runs due timers, the
/// queued commands (bounded by <see cref="WebRtcEndpointOptions.MaxQueuedInputs"/>), then reads the datagrams already
/// waiting (non-blocking, non-allocating <c>ReceiveFrom(Span, SocketFlags, SocketAddress)</c>, at most 256 per turn);
/// it routes them by remote address, or, for the first STUN check of a session, by the local ufrag in USERNAME; then
/// it drains each touched session's transmits to the socket and its events to the application. With nothing to do it
/// sleeps in <c>Socket.Select</c> on the UDP socket and a wake-up socket (<see cref="LoopWakeSocket"/>), until a
/// datagram, a command or the next PollTimeout (at least 1 ms away). No thread hand-off per datagram, and one reader,
/// so datagrams are never reordered between threads.</item>
/// <item>BouncyCastle DTLS handshakes run on worker threads, at most <see cref="WebRtcEndpointOptions.MaxConcurrentHandshakes"/>
/// at once (<see cref="DtlsHandshakeLimiter"/>); the rest wait for a slot; each is bounded by the DTLS handshake timeout.</item>
/// <item>Application events (<see cref="PeerConnection"/>, <see cref="WebRtcDataChannel"/>) are raised on one dispatcher
/// thread per endpoint, serially and in order, never on the loop: a blocking handler delays other handlers of this
/// endpoint but not the network.</item>
/// </list>
/// </summary>
public sealed class WebRtcEndpoint : IAsyncDisposable
{
    private readonly WebRtcEndpointOptions _options;
    private readonly Socket _socket;
    private readonly WebRtcSessionFactory _factory;
    private readonly DtlsHandshakeLimiter _limiter;
    private readonly Channel<LoopInput> _inputs;
    private readonly LoopWakeSocket _wake;
    private readonly Thread _loopThread;
    private readonly CancellationTokenSource _stop = new();
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly PriorityQueue<Entry, TimeSpan> _timers = new();
    private readonly Dictionary<IPEndPoint, Entry> _byRemote = [];
    private readonly Dictionary<string, Entry> _byUfrag = new(StringComparer.Ordinal);
    private readonly Dictionary<PeerConnection, Entry> _entries = [];
    private readonly Queue<(Entry Entry, Action<CancellationToken> Work)> _waitingHandshakes = new();
    private readonly List<Entry> _dirty = [];
    private long _droppedInputs;
    private long _droppedSources;
    private long _unrouted;
    private long _sendErrors;
    private long _datagramsSent;
    private long _datagramsReceived;
    private int _disposed;
    private int _sleeping;

    public WebRtcEndpoint(WebRtcEndpointOptions? options = null)
    {
        _options = options ?? new WebRtcEndpointOptions();
        var bind = _options.BindEndPoint;
        _socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (bind.AddressFamily == AddressFamily.InterNetworkV6)
            {
                _socket.DualMode = true;
            }

            _socket.ReceiveBufferSize = _options.SocketBufferSize;
            _socket.SendBufferSize = _options.SocketBufferSize;
            _socket.Bind(bind);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }

        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        Identity = _options.Identity ?? DtlsIdentity.CreateSelfSigned(DateTimeOffset.UtcNow);
        _factory = new WebRtcSessionFactory(new WebRtcSessionFactoryOptions
        {
            Identity = Identity,
            AnnouncedCandidates = AnnouncedCandidates(),
            Random = _options.Random,
            DtlsEngineFactory = _options.DtlsEngineFactory,
            Session = _options.Session,
            MaxSessions = _options.MaxSessions,
            MaxMessageSize = _options.MaxMessageSize,
        });
        _limiter = new DtlsHandshakeLimiter(_options.MaxConcurrentHandshakes);
        // The loop reads every datagram into one buffer: the session copies what it keeps.
        WhenWarmedUp = _options.WarmUp
            ? EndpointWarmUp.StartShared(new WebRtcSessionFactoryOptions
            {
                Identity = Identity,
                Random = _options.Random,
                DtlsEngineFactory = _options.DtlsEngineFactory,
                Session = _options.Session,
                MaxMessageSize = _options.MaxMessageSize,
            })
            : Task.FromResult(false);
        _inputs = Channel.CreateBounded<LoopInput>(new BoundedChannelOptions(_options.MaxQueuedInputs)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        Dispatcher = new EventDispatcher("webrtc-events " + LocalEndPoint.Port);
        _wake = new LoopWakeSocket();
        _loopThread = new Thread(RunLoop) { IsBackground = true, Name = "webrtc-loop " + LocalEndPoint.Port };
        _loopThread.Start();
    }

    public IPEndPoint LocalEndPoint { get; }

    public DtlsIdentity Identity { get; }

    /// <summary>
    /// Completes when the start-up warm-up (<see cref="WebRtcEndpointOptions.WarmUp"/>) ended: true if its in-memory
    /// session connected and echoed (possibly an earlier endpoint's: the warm-up is per process), false when it was
    /// off or failed. Never faults.
    /// </summary>
    public Task<bool> WhenWarmedUp { get; }

    /// <summary>
    /// Wake-ups (from handshake threads and sessions) dropped because the loop queue was full. Datagrams no longer pass
    /// through that queue: the loop reads the socket itself, so a loop that falls behind leaves them in the socket's
    /// receive buffer (<see cref="WebRtcEndpointOptions.SocketBufferSize"/>), where the kernel counts what overflows.
    /// </summary>
    public long DroppedInputs => Interlocked.Read(ref _droppedInputs);

    /// <summary>Datagrams dropped by <see cref="WebRtcEndpointOptions.LoopbackOnly"/>.</summary>
    public long DroppedSources => Interlocked.Read(ref _droppedSources);

    /// <summary>Datagrams that matched no session.</summary>
    public long Unrouted => Interlocked.Read(ref _unrouted);

    public int LiveSessions => _factory.LiveSessions;

    /// <summary>Datagrams handed to the socket, all sessions.</summary>
    public long DatagramsSent => Interlocked.Read(ref _datagramsSent);

    /// <summary>Datagrams read from the socket (before any filtering), all sessions.</summary>
    public long DatagramsReceived => Interlocked.Read(ref _datagramsReceived);

    internal EventDispatcher Dispatcher { get; }

    internal TimeSpan Now => Stopwatch.GetElapsedTime(_start);

    /// <summary>Answers a remote offer: returns the answer SDP and the (connecting) peer. Throws <see cref="WebRtcException"/> when refused.</summary>
    public Task<(string AnswerSdp, PeerConnection Peer)> AcceptOfferAsync(string offerSdp, CancellationToken cancellationToken = default)
    {
        var result = new TaskCompletionSource<(string, PeerConnection)>(TaskCreationOptions.RunContinuationsAsynchronously);
        PostCommand(() =>
        {
            if (!_factory.TryAccept(Now, offerSdp, out var answer, out var session, out var error))
            {
                result.TrySetException(new WebRtcException(error));
                return;
            }

            var entry = Register(session);
            result.TrySetResult((answer, entry.Peer));
        }, result, cancellationToken);
        return result.Task;
    }

    /// <summary>Makes an offer for a .NET client; send <see cref="PendingOffer.Sdp"/> to the answerer, then <see cref="ConnectAsync"/>.</summary>
    public Task<PendingOffer> CreateOfferAsync() => Task.FromResult(new PendingOffer(_factory.CreateOffer()));

    /// <summary>Applies the answer and starts ICE/DTLS/SCTP towards the answerer; await <see cref="PeerConnection.WhenConnected"/>.</summary>
    public Task<PeerConnection> ConnectAsync(PendingOffer offer, string answerSdp, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(offer);
        var result = new TaskCompletionSource<PeerConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        PostCommand(() =>
        {
            if (!offer.Offer.TryApplyAnswer(Now, answerSdp, out var session, out var error))
            {
                result.TrySetException(new WebRtcException(error));
                return;
            }

            // Routing is by remote address: one endpoint holds one session per answerer address (use more endpoints
            // for more clients of the same answerer, like browsers use one port per peer connection).
            if (session.RemoteCandidates.Any(_byRemote.ContainsKey))
            {
                session.Abort(Now, "route conflict");
                result.TrySetException(new WebRtcException(new SessionError(SessionErrorReason.TooManySessions,
                    "this endpoint already has a session with that answerer address")));
                return;
            }

            var entry = Register(session);
            result.TrySetResult(entry.Peer);
        }, result, cancellationToken);
        return result.Task;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Enqueue(new LoopInput(null, () =>
        {
            foreach (var entry in _entries.Values.ToList())
            {
                entry.Session.Abort(Now, "endpoint disposed");
                Process(entry);
            }

            done.TrySetResult();
        })))
        {
            await done.Task.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _inputs.Writer.TryComplete();
        _wake.Wake();
        await Task.Run(() =>
        {
            // The loop leaves its Select on the wake-up; the sockets are closed once it no longer uses them.
            var left = _loopThread.Join(TimeSpan.FromSeconds(5));
            _socket.Dispose();
            if (left)
            {
                _wake.Dispose();
            }

            Dispatcher.Complete();
            Dispatcher.Join(TimeSpan.FromSeconds(5));
        }).ConfigureAwait(false);
        _stop.Dispose();
    }

    internal void Post(PeerConnection peer, Action action)
    {
        // Commands of application threads: waiting for room keeps them (datagrams are the ones dropped).
        var input = new LoopInput(null, () =>
        {
            // Runs even after the session ended: the session refuses politely, so awaiting callers always complete.
            action();
            if (_entries.TryGetValue(peer, out var entry))
            {
                MarkDirty(entry);
            }
        });
        if (!Enqueue(input))
        {
            _ = _inputs.Writer.WriteAsync(input, _stop.Token).AsTask().ContinueWith(t =>
            {
                _ = t.Exception;
                WakeLoop();
            }, TaskScheduler.Default);
        }
    }

    private void PostCommand<T>(Action command, TaskCompletionSource<T> result, CancellationToken cancellationToken)
    {
        cancellationToken.Register(() => result.TrySetCanceled(cancellationToken));
        if (Volatile.Read(ref _disposed) != 0 || !Enqueue(new LoopInput(null, command)))
        {
            result.TrySetException(new WebRtcException("endpoint is disposed or overloaded"));
        }
    }

    /// <summary>Queues a command or wake-up (any thread) and wakes the loop only if it sleeps.</summary>
    private bool Enqueue(LoopInput input)
    {
        if (!_inputs.Writer.TryWrite(input))
        {
            return false;
        }

        WakeLoop();
        return true;
    }

    private void EnqueueOrCount(LoopInput input)
    {
        if (!Enqueue(input))
        {
            Interlocked.Increment(ref _droppedInputs);
        }
    }

    private void WakeLoop()
    {
        if (Interlocked.Exchange(ref _sleeping, 0) == 1)
        {
            _wake.Wake();
        }
    }

    private IReadOnlyList<IPEndPoint> AnnouncedCandidates()
    {
        var port = LocalEndPoint.Port;
        if (_options.AnnouncedAddresses.Count > 0)
        {
            return [.. _options.AnnouncedAddresses.Select(a => new IPEndPoint(a, port))];
        }

        var bound = _options.BindEndPoint.Address;
        return bound.Equals(IPAddress.Any) || bound.Equals(IPAddress.IPv6Any) || IPAddress.IsLoopback(bound)
            ? [new IPEndPoint(IPAddress.Loopback, port)]
            : [new IPEndPoint(bound, port)];
    }

    private Entry Register(WebRtcSession session)
    {
        var entry = new Entry(session, new PeerConnection(this, session));
        _entries[entry.Peer] = entry;
        if (session.IsAnswerer)
        {
            _byUfrag[session.LocalCredentials.Ufrag] = entry;
        }

        foreach (var candidate in session.RemoteCandidates)
        {
            AddRoute(entry, candidate);
        }

        session.WakeUp = () => EnqueueOrCount(new LoopInput(entry, null));
        Process(entry);
        return entry;
    }

    private void RunLoop()
    {
        var reader = _inputs.Reader;
        // The loop is the only reader and sessions copy what they keep before HandleDatagram returns: one buffer.
        var buffer = new byte[_options.MaxDatagramSize];
        var receiver = new DatagramSource(_socket.AddressFamily);
        var ready = new List<Socket>(2);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var now = Now;
                while (_timers.TryPeek(out var due, out var at) && at <= now)
                {
                    _timers.Dequeue();
                    if (due.Scheduled == at && !due.Removed)
                    {
                        due.Scheduled = null;
                        due.Session.HandleTimeout(now);
                        Process(due);
                    }
                }

                var handled = 0;
                while (handled < 256 && reader.TryRead(out var input))
                {
                    handled++;
                    Handle(input);
                }

                // Datagrams straight from the socket, without blocking: the loop is the only reader, so a burst is
                // handled in one turn with no thread hand-off per datagram and no reordering between two readers.
                handled += ReceiveAvailable(receiver, buffer, 256);

                // Once per batch, not per input: sends and SACKs of one batch share packets.
                foreach (var dirty in _dirty)
                {
                    dirty.Dirty = false;
                    if (!dirty.Removed)
                    {
                        Process(dirty);
                    }
                }

                _dirty.Clear();

                if (handled > 0)
                {
                    continue;
                }

                TimeSpan? wait = _timers.TryPeek(out _, out var next) ? next - Now : null;
                if (wait <= TimeSpan.Zero)
                {
                    continue;
                }

                // Hand-shake with Enqueue (both sides use full fences): either the writer sees the flag and wakes us
                // through the wake socket, or we see its input here.
                Interlocked.Exchange(ref _sleeping, 1);
                if (reader.TryPeek(out _) || _stop.IsCancellationRequested)
                {
                    Interlocked.Exchange(ref _sleeping, 0);
                    continue;
                }

                ready.Clear();
                ready.Add(_socket);
                ready.Add(_wake.Socket);
                // At least 1 ms, as before: sub-millisecond pacing deadlines would turn the loop into a busy poll.
                var micros = wait is { } w ? (int)Math.Clamp(Math.Ceiling(w.TotalMicroseconds), 1000, int.MaxValue) : -1;
                try
                {
                    Socket.Select(ready, null, null, micros);
                }
                catch (SocketException)
                {
                    ready.Clear();
                }

                Interlocked.Exchange(ref _sleeping, 0);
                if (ready.Contains(_wake.Socket))
                {
                    _wake.Drain();
                }

                if (ready.Contains(_socket))
                {
                    // Readable: one receive even when FIONREAD says 0 (an empty datagram), so the loop cannot spin.
                    ReceiveOne(receiver, buffer);
                }
            }
        }
        catch (ObjectDisposedException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private int ReceiveAvailable(DatagramSource receiver, byte[] buffer, int max)
    {
        var received = 0;
        while (received < max && _socket.Available > 0 && ReceiveOne(receiver, buffer))
        {
            received++;
        }

        return received;
    }

    /// <summary>Reads one datagram (the socket must be readable) and hands it to its session.</summary>
    private bool ReceiveOne(DatagramSource source, byte[] buffer)
    {
        // One buffer for every datagram: the session copies what it keeps before HandleDatagram returns.
        int length;
        try
        {
            length = _socket.ReceiveFrom(buffer, SocketFlags.None, source.Address);
        }
        catch (SocketException)
        {
            // ICMP errors surface here on some platforms; UDP carries on.
            return false;
        }

        Volatile.Write(ref _datagramsReceived, _datagramsReceived + 1); // loop thread only
        var remote = source.RemoteEndPoint();
        if (_options.LoopbackOnly && !IPAddress.IsLoopback(remote.Address))
        {
            Interlocked.Increment(ref _droppedSources);
            return true;
        }

        HandleDatagram(remote, buffer.AsSpan(0, length));
        return true;
    }

    private void Handle(LoopInput input)
    {
        if (input.Command is { } command)
        {
            command();
            return;
        }

        if (input.WakeEntry is { } woken)
        {
            if (!woken.Removed)
            {
                woken.Session.Drain(Now);
                Process(woken);
            }

            return;
        }
    }

    private void HandleDatagram(IPEndPoint remote, ReadOnlySpan<byte> data)
    {
        if (!_byRemote.TryGetValue(remote, out var entry))
        {
            entry = RouteNew(remote, data);
            if (entry is null)
            {
                Interlocked.Increment(ref _unrouted);
                return;
            }
        }

        entry.Session.HandleDatagram(Now, remote, data);
        MarkDirty(entry);
    }

    private void MarkDirty(Entry entry)
    {
        if (!entry.Dirty)
        {
            entry.Dirty = true;
            _dirty.Add(entry);
        }
    }

    private Entry? RouteNew(IPEndPoint remote, ReadOnlySpan<byte> data)
    {
        if (Demux.Classify(data) != DatagramKind.Stun)
        {
            return null;
        }

        // A check to one of our answerers: USERNAME starts with our ufrag.
        if (StunUsername.TryGetLocalUfrag(data, out var ufrag) && _byUfrag.TryGetValue(ufrag, out var entry))
        {
            AddRoute(entry, remote);
            return entry;
        }

        return null;
    }

    private void AddRoute(Entry entry, IPEndPoint remote)
    {
        // Bounded: a peer with the ufrag (from signalling) cannot make the table grow without end.
        if (entry.Routes.Count >= 8)
        {
            return;
        }

        entry.Routes.Add(remote);
        _byRemote[remote] = entry;
    }

    private void Process(Entry entry)
    {
        var session = entry.Session;
        while (session.TryPollTransmit(out var transmit))
        {
            try
            {
                _socket.SendTo(transmit.Payload.Span, SocketFlags.None, entry.AddressOf(transmit.Destination, _socket.AddressFamily));
                Volatile.Write(ref _datagramsSent, _datagramsSent + 1); // loop thread only
            }
            catch (SocketException)
            {
                Interlocked.Increment(ref _sendErrors);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            finally
            {
                // The kernel copied the datagram (or refused it): the session may reuse the buffer.
                transmit.Release();
            }
        }

        if (session.TryTakeHandshakeWork(out var work))
        {
            StartHandshake(entry, work);
        }

        var closed = false;
        while (session.TryPollEvent(out var sessionEvent))
        {
            entry.Peer.OnSessionEvent(sessionEvent);
            closed |= sessionEvent is SessionClosed;
        }

        if (closed || session.State == WebRtcSessionState.Closed)
        {
            Remove(entry);
            return;
        }

        entry.Peer.RefreshBuffered();
        var deadline = session.PollTimeout();
        if (deadline != entry.Scheduled)
        {
            entry.Scheduled = deadline;
            if (deadline is { } d)
            {
                _timers.Enqueue(entry, d);
            }
        }
    }

    private void StartHandshake(Entry entry, Action<CancellationToken> work)
    {
        if (!_limiter.TryAcquire(out var lease))
        {
            _waitingHandshakes.Enqueue((entry, work));
            return;
        }

        var token = _stop.Token;
        var thread = new Thread(() =>
        {
            try
            {
                work(token);
            }
            finally
            {
                lease.Dispose();
                EnqueueOrCount(new LoopInput(null, StartWaitingHandshake));
                EnqueueOrCount(new LoopInput(entry, null));
            }
        })
        { IsBackground = true, Name = "dtls-handshake" };
        thread.Start();
    }

    private void StartWaitingHandshake()
    {
        while (_waitingHandshakes.TryDequeue(out var waiting))
        {
            if (!waiting.Entry.Removed)
            {
                StartHandshake(waiting.Entry, waiting.Work);
                return;
            }
        }
    }

    private void Remove(Entry entry)
    {
        if (entry.Removed)
        {
            return;
        }

        entry.Removed = true;
        _entries.Remove(entry.Peer);
        _byUfrag.Remove(entry.Session.LocalCredentials.Ufrag);
        foreach (var route in entry.Routes)
        {
            if (_byRemote.TryGetValue(route, out var owner) && owner == entry)
            {
                _byRemote.Remove(route);
            }
        }
    }

    /// <summary>A wake-up of a session (work finished off the loop) or a command.</summary>
    private readonly record struct LoopInput(Entry? WakeEntry, Action? Command);

    private sealed class Entry(WebRtcSession session, PeerConnection peer)
    {
        public WebRtcSession Session { get; } = session;

        public PeerConnection Peer { get; } = peer;

        public List<IPEndPoint> Routes { get; } = [];

        public TimeSpan? Scheduled { get; set; }

        public bool Removed { get; set; }

        public bool Dirty { get; set; }

        private IPEndPoint? _lastDestination;
        private SocketAddress? _lastAddress;

        /// <summary>
        /// The socket address of <paramref name="destination"/>, cached for the session's (nearly always single)
        /// destination: <c>SendTo(span, flags, EndPoint)</c> would serialize a new SocketAddress for every datagram.
        /// </summary>
        public SocketAddress AddressOf(IPEndPoint destination, AddressFamily family)
        {
            if (_lastAddress is null || !destination.Equals(_lastDestination))
            {
                // A dual-mode IPv6 socket needs IPv4 destinations in their mapped form.
                var target = family == AddressFamily.InterNetworkV6 && destination.AddressFamily == AddressFamily.InterNetwork
                    ? new IPEndPoint(destination.Address.MapToIPv6(), destination.Port)
                    : destination;
                _lastAddress = target.Serialize();
                _lastDestination = destination;
            }

            return _lastAddress;
        }
    }
}
