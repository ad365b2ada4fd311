using System.Net;
using System.Runtime.InteropServices;
using Enslavism.WebRtc.Core;
using Enslavism.WebRtc.Dtls;
using Enslavism.WebRtc.Session;
using Enslavism.WebRtc.Tests.Dtls;

namespace Enslavism.WebRtc.Tests.Session;

/// <summary>
/// An offerer and an answerer <see cref="WebRtcSession"/> joined by a seeded virtual UDP network with virtual time and
/// <see cref="FakeDtlsEngine"/>: single-threaded and deterministic. <see cref="Step"/> jumps to the earliest datagram
/// arrival or session timeout.
/// </summary>
internal sealed class SessionNetwork
{
    public static readonly IPEndPoint OffererAddress = new(IPAddress.Parse("10.0.0.1"), 40000);
    public static readonly IPEndPoint AnswererAddress = new(IPAddress.Parse("10.0.0.2"), 50000);

    private readonly PriorityQueue<(bool ToAnswerer, IPEndPoint From, byte[] Data), (TimeSpan At, long Seq)> _wire = new();
    private readonly Random _random;
    private long _seq;

    public SessionNetwork(int seed, WebRtcSessionOptions? options = null, bool fakeDtls = true, Func<string, string>? tamperOffer = null)
    {
        _random = new Random(seed);
        var session = options ?? WebRtcSessionOptions.Default;
        AnswererFactory = new WebRtcSessionFactory(new WebRtcSessionFactoryOptions
        {
            Identity = DtlsTestSupport.ServerIdentity,
            AnnouncedCandidates = [AnswererAddress],
            Random = new SeededRandomSource(seed + 1),
            DtlsEngineFactory = fakeDtls ? Fake : Real,
            Session = session,
        });
        OffererFactory = new WebRtcSessionFactory(new WebRtcSessionFactoryOptions
        {
            Identity = DtlsTestSupport.ClientIdentity,
            Random = new SeededRandomSource(seed + 2),
            DtlsEngineFactory = fakeDtls ? Fake : Real,
            Session = session,
        });
        var offer = OffererFactory.CreateOffer();
        Assert.True(AnswererFactory.TryAccept(Now, tamperOffer?.Invoke(offer.Sdp) ?? offer.Sdp, out var answer, out var answerer, out var error), error?.ToString());
        Assert.True(offer.TryApplyAnswer(Now, answer, out var offerer, out error), error?.ToString());
        Answerer = answerer;
        Offerer = offerer;
    }

    public WebRtcSessionFactory AnswererFactory { get; }

    public WebRtcSessionFactory OffererFactory { get; }

    public WebRtcSession Offerer { get; }

    public WebRtcSession Answerer { get; }

    public TimeSpan Now { get; private set; } = TimeSpan.FromSeconds(10);

    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Probability of dropping each datagram (after the filter).</summary>
    public double Loss { get; set; }

    /// <summary>Return false to drop a datagram: (toAnswerer, bytes).</summary>
    public Func<bool, byte[], bool>? Filter { get; set; }

    /// <summary>Rewrites a datagram on its way to the answerer (mutation tests).</summary>
    public Func<byte[], byte[]>? MutateToAnswerer { get; set; }

    public List<SessionEvent> OffererEvents { get; } = [];

    public List<SessionEvent> AnswererEvents { get; } = [];

    public Action<WebRtcSession, SessionEvent>? OnEvent { get; set; }

    public long Delivered { get; private set; }

    public bool BothConnected => Offerer.State == WebRtcSessionState.Connected && Answerer.State == WebRtcSessionState.Connected;

    /// <summary>Steps until <paramref name="condition"/> holds; fails when virtual time passes <paramref name="limit"/>.</summary>
    public void RunUntil(Func<bool> condition, TimeSpan? limit = null)
    {
        var end = Now + (limit ?? TimeSpan.FromSeconds(60));
        while (!condition())
        {
            Assert.True(Step(), "network went idle before the condition held");
            Assert.True(Now <= end, $"condition not reached within {limit ?? TimeSpan.FromSeconds(60)} of virtual time");
        }
    }

    /// <summary>Runs for a span of virtual time.</summary>
    public void RunFor(TimeSpan span)
    {
        var end = Now + span;
        while (Step(end))
        {
        }

        Now = end;
    }

    /// <summary>Advances to the next arrival or timeout (not beyond <paramref name="until"/>); false when nothing is pending.</summary>
    public bool Step(TimeSpan? until = null)
    {
        TimeSpan? next = null;
        if (_wire.TryPeek(out _, out var head))
        {
            next = head.At;
        }

        next = Min(next, Offerer.PollTimeout());
        next = Min(next, Answerer.PollTimeout());
        if (next is null || (until is { } u && next > u))
        {
            return false;
        }

        if (next > Now)
        {
            Now = next.Value;
        }

        while (_wire.TryPeek(out var item, out var at) && at.At <= Now)
        {
            _wire.Dequeue();
            Delivered++;
            if (item.ToAnswerer)
            {
                Answerer.HandleDatagram(Now, item.From, MutateToAnswerer?.Invoke(item.Data) ?? item.Data);
            }
            else
            {
                Offerer.HandleDatagram(Now, item.From, item.Data);
            }
        }

        if (Offerer.PollTimeout() <= Now)
        {
            Offerer.HandleTimeout(Now);
        }

        if (Answerer.PollTimeout() <= Now)
        {
            Answerer.HandleTimeout(Now);
        }

        Flush();
        return true;
    }

    /// <summary>Drains both sessions' transmits onto the wire and their events into the lists.</summary>
    public void Flush()
    {
        for (var again = true; again;)
        {
            again = false;
            while (Offerer.TryPollTransmit(out var t))
            {
                Assert.Equal(AnswererAddress, t.Destination);
                Send(toAnswerer: true, OffererAddress, t.Payload.ToArray());
                PoisonAndRelease(t);
            }

            while (Answerer.TryPollTransmit(out var t))
            {
                Send(toAnswerer: false, AnswererAddress, t.Payload.ToArray());
                PoisonAndRelease(t);
            }

            while (Offerer.TryPollEvent(out var e))
            {
                OffererEvents.Add(e);
                OnEvent?.Invoke(Offerer, e);
                again = true;
            }

            while (Answerer.TryPollEvent(out var e))
            {
                AnswererEvents.Add(e);
                OnEvent?.Invoke(Answerer, e);
                again = true;
            }
        }
    }

    /// <summary>Pooled transmits handed back, as a host does after its sendto.</summary>
    public int ReleasedPooledTransmits { get; private set; }

    /// <summary>
    /// Releases like a host, after scribbling over the pooled buffer: a session that still read a released buffer (or
    /// handed one out twice) would then deliver garbage, which every test comparing payloads would catch.
    /// </summary>
    private void PoisonAndRelease(Transmit transmit)
    {
        if (transmit.Pool is not null && MemoryMarshal.TryGetArray(transmit.Payload, out var segment))
        {
            segment.Array.AsSpan().Fill(0xEE);
            ReleasedPooledTransmits++;
        }

        transmit.Release();
    }

    /// <summary>Injects a datagram as if it came from <paramref name="from"/> (robustness tests).</summary>
    public void Inject(bool toAnswerer, IPEndPoint from, byte[] data) => Send(toAnswerer, from, data);

    private void Send(bool toAnswerer, IPEndPoint from, byte[] data)
    {
        if (Filter is { } filter && !filter(toAnswerer, data))
        {
            return;
        }

        if (Loss > 0 && _random.NextDouble() < Loss)
        {
            return;
        }

        _wire.Enqueue((toAnswerer, from, data), (Now + Delay, _seq++));
    }

    /// <summary>
    /// Drives sessions whose DTLS engines need handshake threads (BouncyCastle): handshakes run on worker tasks bounded
    /// by <paramref name="cancellationToken"/>; the test thread is the event loop, woken by the sessions' WakeUp.
    /// Virtual time advances 10 ms per idle wait so ICE checks keep flowing.
    /// </summary>
    public void RunThreaded(Func<bool> condition, CancellationToken cancellationToken)
    {
        // Not disposed: a finishing handshake worker may still signal after the condition held.
        var wake = new SemaphoreSlim(0, int.MaxValue);
        Offerer.WakeUp = () => wake.Release();
        Answerer.WakeUp = () => wake.Release();
        while (!condition())
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var session in new[] { Offerer, Answerer })
            {
                if (session.TryTakeHandshakeWork(out var work))
                {
                    Workers.Add(Task.Factory.StartNew(() => work(cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default));
                }

                session.Drain(Now);
            }

            Flush();
            if (!Step(Now + TimeSpan.FromMilliseconds(10)))
            {
                wake.Wait(TimeSpan.FromMilliseconds(20), cancellationToken);
                Now += TimeSpan.FromMilliseconds(10);
            }
        }
    }

    public List<Task> Workers { get; } = [];

    /// <summary>The real engines created when <c>fakeDtls</c> is false, for their counters (answerer's first).</summary>
    public List<BcDtlsEngine> RealEngines { get; } = [];

    private BcDtlsEngine Real(DtlsRole role, DtlsIdentity identity, IReadOnlyList<DtlsFingerprint> remote, DtlsOptions options)
    {
        var engine = new BcDtlsEngine(role, identity, remote, options);
        RealEngines.Add(engine);
        return engine;
    }

    private static FakeDtlsEngine Fake(DtlsRole role, DtlsIdentity identity, IReadOnlyList<DtlsFingerprint> remote, DtlsOptions options) =>
        new FakeDtlsEngine(role, identity.Fingerprint, remote, options);

    private static TimeSpan? Min(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a < b ? a : b;
}
