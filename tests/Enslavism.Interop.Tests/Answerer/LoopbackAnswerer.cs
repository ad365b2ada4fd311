using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Enslavism.WebRtc.Core;
using Enslavism.WebRtc.Dtls;
using Enslavism.WebRtc.Ice;
using Enslavism.WebRtc.Sdp;
using Enslavism.WebRtc.Stun;

namespace Enslavism.Interop.Tests.Answerer;

/// <summary>
/// UDP host for the interop tests: one socket on 127.0.0.1, one event-loop thread that owns every session,
/// routes the first STUN check of a session by its USERNAME and later datagrams by source address, and drops every
/// datagram whose source is not a loopback address. Time comes from a <see cref="Stopwatch"/> here, at the I/O
/// edge; the layers only ever see <c>now</c>.
/// </summary>
public sealed class LoopbackAnswerer : IInteropAnswerer
{
    private const int MaxLoopWaitMs = 5;

    private readonly Socket _socket;
    private readonly EchoBehaviour _app;
    private readonly DtlsIdentity _identity = DtlsIdentity.CreateSelfSigned(DateTimeOffset.UtcNow);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentQueue<Action> _work = new();
    private readonly Dictionary<string, AnswererSession> _byUfrag = new(StringComparer.Ordinal);
    private readonly Dictionary<IPEndPoint, AnswererSession> _byRemote = [];
    private readonly Thread _loop;
    private volatile bool _stopping;
    private long _droppedNonLoopback;

    public LoopbackAnswerer(EchoBehaviour app)
    {
        _app = app;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)
        {
            ReceiveBufferSize = 4 << 20,
            SendBufferSize = 4 << 20,
        };
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _loop = new Thread(Run) { IsBackground = true, Name = "answerer-loop" };
        _loop.Start();
    }

    public IPEndPoint LocalEndPoint { get; }

    public long DroppedNonLoopback => Interlocked.Read(ref _droppedNonLoopback);

    public string Describe() => $"non-loopback datagrams dropped: {DroppedNonLoopback}\n" + string.Join('\n', _byUfrag.Values.ToArray().Select(s => s.Describe()));

    public Task<string> AcceptOfferAsync(string offerSdp, CancellationToken cancellationToken)
    {
        var tcs = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Enqueue(() =>
        {
            try
            {
                tcs.TrySetResult(Accept(offerSdp));
            }
            catch (InvalidOperationException ex)
            {
                tcs.TrySetException(ex);
            }
        });
        return tcs.Task.WaitAsync(cancellationToken);
    }

    private string Accept(string offerSdp)
    {
        if (!SdpOfferParser.TryParse(offerSdp, out var offer, out var error))
        {
            _app.Note($"offer refused: {error}");
            throw new InvalidOperationException($"offer refused: {error}");
        }

        var credentials = IceCredentials.Generate(CryptoRandomSource.Instance);
        var session = new AnswererSession(Now, offer!, credentials, _identity, _app, Send, () => { });
        _byUfrag[credentials.Ufrag] = session;
        var answer = SdpAnswerBuilder.Build(offer!, credentials, new SdpAnswerOptions
        {
            Candidates = [LocalEndPoint],
            CertificateSha256 = _identity.Fingerprint.Hash.ToArray(),
        }, sessionId: (ulong)Random.Shared.NextInt64());
        _app.Note($"offer accepted, ufrag {credentials.Ufrag}, sctp-port {offer!.SctpPort}, max-message-size {offer.MaxMessageSize}");
        return answer;
    }

    private TimeSpan Now => _clock.Elapsed;

    private void Send(IPEndPoint to, ReadOnlyMemory<byte> payload)
    {
        try
        {
            _socket.SendTo(payload.Span, SocketFlags.None, to);
        }
        catch (SocketException ex)
        {
            _app.Note($"send to {to} failed: {ex.SocketErrorCode}");
        }
    }

    private void Run()
    {
        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stopping)
        {
            while (_work.TryDequeue(out var item))
            {
                item();
            }

            var now = Now;
            TimeSpan? next = null;
            foreach (var session in _byUfrag.Values)
            {
                session.HandleTimeout(now);
                session.Pump(now);
                var t = session.PollTimeout();
                next = next is null || (t is not null && t < next) ? t ?? next : next;
            }

            var waitMs = next is { } deadline ? Math.Clamp((int)Math.Ceiling((deadline - Now).TotalMilliseconds), 0, MaxLoopWaitMs) : MaxLoopWaitMs;
            try
            {
                if (!_socket.Poll(waitMs * 1000, SelectMode.SelectRead))
                {
                    continue;
                }

                // Drain what is queued in the socket before the next timer pass, with a cap to stay responsive.
                for (var i = 0; i < 256 && _socket.Available > 0; i++)
                {
                    var length = _socket.ReceiveFrom(buffer, ref any);
                    OnDatagram((IPEndPoint)any, buffer.AsSpan(0, length));
                }
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
            {
                // ICMP port unreachable from a peer that went away: nothing to do.
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }

    private void OnDatagram(IPEndPoint source, ReadOnlySpan<byte> datagram)
    {
        if (!IPAddress.IsLoopback(source.Address))
        {
            Interlocked.Increment(ref _droppedNonLoopback);
            return;
        }

        var now = Now;
        if (!_byRemote.TryGetValue(source, out var session))
        {
            if (!StunUsername.TryGetLocalUfrag(datagram, out var ufrag) || !_byUfrag.TryGetValue(ufrag, out session))
            {
                return;
            }
        }

        session.HandleDatagram(now, source, datagram);
        if (session.Ice.IsValidRemote(source))
        {
            _byRemote[new IPEndPoint(source.Address, source.Port)] = session;
        }

        session.Pump(now);
    }

    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        await Task.Run(() => _loop.Join(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        foreach (var session in _byUfrag.Values)
        {
            session.Dispose();
        }

        _socket.Dispose();
    }
}
