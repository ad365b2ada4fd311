using System.Diagnostics;
using System.Net;
using Enslavism.WebRtc.DataChannels;
using Enslavism.WebRtc.Session;

namespace Enslavism.WebRtc.Host;

/// <summary>
/// Pays a process's cold start (JIT of SDP, ICE, BouncyCastle's handshake and static initialisation, SCTP, DCEP)
/// before the first real client does: one complete in-memory session, offerer and answerer (so both DTLS roles),
/// connected, a channel opened and messages echoed both ways. Nothing touches a socket, the endpoint's loop, its
/// session table or its handshake limiter, so real sessions are never blocked; they only share the CPU with it.
/// Measured: the first real session of a process took 0.25–0.45 s longer than later ones without it.
/// JIT and static initialisation are per process, so endpoints share one warm-up (per DTLS engine factory, since a
/// custom engine runs other code); a failed one is retried by the next endpoint.
/// </summary>
internal static class EndpointWarmUp
{
    // Documentation addresses (RFC 5737): the warm-up sessions only ever see them as labels, nothing is sent.
    private static readonly IPEndPoint OffererAddress = new(IPAddress.Parse("192.0.2.1"), 9);
    private static readonly IPEndPoint AnswererAddress = new(IPAddress.Parse("192.0.2.2"), 9);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);
    private static readonly Lock SharedGate = new();
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<DtlsEngineFactory, Task<bool>> SharedByFactory = [];
    private static Task<bool>? _sharedDefault;

    /// <summary>
    /// The process's warm-up for this engine factory: the running or successful one if there is one, else a new one.
    /// Not tied to any endpoint's lifetime (it touches no endpoint state), so disposing an endpoint never cuts it short.
    /// </summary>
    public static Task<bool> StartShared(WebRtcSessionFactoryOptions answerer)
    {
        lock (SharedGate)
        {
            var factory = answerer.DtlsEngineFactory;
            var existing = factory is null ? _sharedDefault : SharedByFactory.TryGetValue(factory, out var t) ? t : null;
            if (existing is not null && !(existing.IsCompleted && !existing.Result))
            {
                return existing;
            }

            var started = Start(answerer, CancellationToken.None);
            if (factory is null)
            {
                _sharedDefault = started;
            }
            else
            {
                SharedByFactory.AddOrUpdate(factory, started);
            }

            return started;
        }
    }

    /// <summary>Starts the warm-up on a background thread; the task says whether the session completed.</summary>
    public static Task<bool> Start(WebRtcSessionFactoryOptions answerer, CancellationToken cancellationToken)
    {
        var result = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                result.TrySetResult(Run(answerer, cancellationToken));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A failed warm-up only means the first real session is slower; never take the endpoint down.
                result.TrySetResult(false);
            }
        })
        {
            IsBackground = true,
            Name = "webrtc-warm-up",
            Priority = ThreadPriority.BelowNormal,
        };
        thread.Start();
        return result.Task;
    }

    /// <summary>Runs one in-memory session to completion on the calling thread (plus its handshake workers).</summary>
    public static bool Run(WebRtcSessionFactoryOptions answerer, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var answererFactory = new WebRtcSessionFactory(answerer with { AnnouncedCandidates = [AnswererAddress], MaxSessions = 1 });
        var offererFactory = new WebRtcSessionFactory(answerer with { AnnouncedCandidates = [], MaxSessions = 1 });
        var offer = offererFactory.CreateOffer();
        if (!answererFactory.TryAccept(clock.Elapsed, offer.Sdp, out var answer, out var answering, out _)
            || !offer.TryApplyAnswer(clock.Elapsed, answer, out var offering, out _))
        {
            return false;
        }

        using var wake = new SemaphoreSlim(0);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        answering.WakeUp = () => wake.Release();
        offering.WakeUp = () => wake.Release();
        var workers = new List<Task>();
        var echoes = 0;
        DataChannel? channel = null;
        var big = new byte[16 * 1024];
        try
        {
            while (echoes < 2 && clock.Elapsed < Limit && !stop.IsCancellationRequested)
            {
                var now = clock.Elapsed;
                var progress = Step(offering, answering, OffererAddress, now, workers, stop.Token);
                progress |= Step(answering, offering, AnswererAddress, now, workers, stop.Token);
                while (answering.TryPollEvent(out var e))
                {
                    progress = true;
                    if (e is ChannelMessage message)
                    {
                        _ = message.IsText
                            ? answering.Send(now, message.Channel, message.Text)
                            : answering.Send(now, message.Channel, message.Data);
                    }
                }

                while (offering.TryPollEvent(out var e))
                {
                    progress = true;
                    switch (e)
                    {
                        case SessionConnected:
                            channel = offering.OpenChannel(now, new DataChannelOptions { Label = "warm-up" }, out _);
                            break;
                        case ChannelOpened opened when opened.Channel == channel:
                            offering.Send(now, channel, "warm-up");
                            offering.Send(now, channel, big);
                            break;
                        case ChannelMessage:
                            echoes++;
                            break;
                        case SessionClosed:
                            return false;
                    }
                }

                if (!progress)
                {
                    var next = Earliest(offering.PollTimeout(), answering.PollTimeout());
                    var wait = next is { } at ? at - clock.Elapsed : TimeSpan.FromMilliseconds(50);
                    if (wait > TimeSpan.Zero)
                    {
                        wake.Wait(wait < TimeSpan.FromMilliseconds(50) ? wait : TimeSpan.FromMilliseconds(50), stop.Token);
                    }
                }
            }

            return echoes >= 2;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        finally
        {
            offering.Abort(clock.Elapsed, "warm-up done");
            answering.Abort(clock.Elapsed, "warm-up done");
            stop.Cancel();
            Task.WaitAll([.. workers], TimeSpan.FromSeconds(5));
        }
    }

    /// <summary>Moves <paramref name="from"/>'s datagrams to <paramref name="to"/> and fires due timers; true if anything moved.</summary>
    private static bool Step(
        WebRtcSession from, WebRtcSession to, IPEndPoint fromAddress, TimeSpan now, List<Task> workers, CancellationToken cancellationToken)
    {
        var progress = false;
        if (from.PollTimeout() <= now)
        {
            from.HandleTimeout(now);
        }

        from.Drain(now);
        while (from.TryPollTransmit(out var transmit))
        {
            progress = true;
            to.HandleDatagram(now, fromAddress, transmit.Payload.Span);
            transmit.Release();
        }

        if (from.TryTakeHandshakeWork(out var work))
        {
            progress = true;
            workers.Add(Task.Factory.StartNew(() => work(cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default));
        }

        return progress;
    }

    private static TimeSpan? Earliest(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a < b ? a : b;
}
