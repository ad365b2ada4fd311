using System.Globalization;
using System.Net;
using Enslavism.WebRtc.Host;
using Enslavism.WebRtc.Session;
using Microsoft.Playwright;

namespace Enslavism.Bench.Browser;

/// <summary>
/// Our stack as the remote answerer: one <see cref="WebRtcEndpoint"/> bound to 127.0.0.1 (LoopbackOnly, ICE-lite)
/// answers the page's offer, and every data channel the page opens is wired into a <see cref="BenchResponder"/>.
/// One endpoint per browser launch (as a slave keeps one), one responder per peer connection (as the page expects a
/// fresh peer per run).
/// </summary>
internal sealed class EnslavismSubject(bool baseline = false) : IBenchSubject
{
    private readonly List<PeerConnection> _peers = [];
    private readonly Lock _lock = new();
    private readonly List<WebRtcSessionPhases> _phases = [];
    private readonly Dictionary<PeerConnection, double> _answerMs = [];
    private WebRtcEndpoint? _endpoint;

    /// <summary>
    /// The baseline is the stack as it was before the setup work: BouncyCastle's managed EC math for the handshake and
    /// no warm-up, so both can be measured in the same run.
    /// </summary>
    public string Name => baseline ? "enslavism-chrome-baseline" : "enslavism-chrome";
    public string Mode => "remote";
    public string Gather => "none";

    public async Task StartAsync(IBrowser browser, Uri baseUrl, CancellationToken ct)
    {
        _endpoint = new WebRtcEndpoint(new WebRtcEndpointOptions
        {
            BindEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            LoopbackOnly = true,
            WarmUp = !baseline,
            Session = baseline
                ? new WebRtcSessionOptions { Dtls = new Enslavism.WebRtc.Dtls.DtlsOptions { UseBclPublicKeyCrypto = false } }
                : WebRtcSessionOptions.Default,
        });
        // A slave runs long before its first client arrives; the bench's page would otherwise race the warm-up.
        var warmed = await _endpoint.WhenWarmedUp.WaitAsync(ct);
        Console.WriteLine($"  {Name}: endpoint warm-up {(baseline ? "off" : warmed ? "done" : "FAILED")}");
    }

    public async Task<string> AnswerAsync(string offerSdp, CancellationToken ct)
    {
        var endpoint = _endpoint ?? throw new InvalidOperationException("not started");
        var answerWatch = System.Diagnostics.Stopwatch.StartNew();
        var (answer, peer) = await endpoint.AcceptOfferAsync(offerSdp, ct);
        lock (_lock)
        {
            // Our share of the page's signalling time: offer in → answer out, including the hop onto the event loop.
            _answerMs[peer] = answerWatch.Elapsed.TotalMilliseconds;
        }
        var responder = new BenchResponder();
        // Handlers run serially on the endpoint's dispatcher thread; only the echo and the reply need a send, and a
        // send only waits when the channel's buffer is over the limit, which echoes of 16-byte pings never reach.
        peer.DataChannel += channel =>
        {
            var adapter = new ChannelAdapter(channel);
            // The DataChannel event is raised once the channel is open (DCEP handled by the stack).
            responder.AddChannel(adapter);
            channel.Message += (_, m) =>
            {
                var pending = responder.OnMessageAsync(adapter, m.Data, m.IsText, CancellationToken.None);
                if (!pending.IsCompletedSuccessfully)
                {
                    pending.AsTask().ContinueWith(static t => t.Exception, TaskScheduler.Default);
                }
            };
        };
        // Previous runs' peers are closed when the next one starts, so a run never competes with a dying one.
        List<PeerConnection> old;
        lock (_lock)
        {
            old = [.. _peers];
            _peers.Clear();
            _peers.Add(peer);
        }
        foreach (var p in old)
        {
            await ReportPhasesAsync(p);
            PrintSctpStats(p);
            p.Close();
        }
        return answer;
    }

    public async Task StopAsync()
    {
        List<PeerConnection> peers;
        lock (_lock)
        {
            peers = [.. _peers];
            _peers.Clear();
        }
        foreach (var p in peers)
        {
            await ReportPhasesAsync(p);
            PrintSctpStats(p);
            p.Close();
        }
        PrintPhaseSummary();
        if (_endpoint is not null)
        {
            await _endpoint.DisposeAsync();
            _endpoint = null;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>Setup steps of one session in ms after the offer was accepted, as the stack saw them (session time).</summary>
    private static readonly (string Name, Func<WebRtcSessionPhases, TimeSpan?> Get)[] Steps =
    [
        ("stun", p => p.FirstStunReceived),
        ("ice-valid", p => p.IceFirstValid),
        ("ice-nominated", p => p.IceSelected),
        ("dtls-hello-in", p => p.FirstDtlsReceived),
        ("dtls-flight-out", p => p.FirstDtlsSent),
        ("dtls-last-in", p => p.LastHandshakeDatagramReceived),
        ("dtls-done", p => p.DtlsConnected),
        ("sctp-up", p => p.SctpEstablished),
        ("first-open", p => p.FirstChannelOpened),
        ("last-open", p => p.LastChannelOpened),
    ];

    private async Task ReportPhasesAsync(PeerConnection peer)
    {
        WebRtcSessionPhases phases;
        try
        {
            phases = await peer.GetPhasesAsync().WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            return;
        }
        double answerMs;
        lock (_lock)
        {
            _phases.Add(phases);
            _answerMs.Remove(peer, out answerMs);
        }
        Console.WriteLine($"    enslavism phases (ms after offer accepted; AcceptOfferAsync took {answerMs.ToString("0.00", CultureInfo.InvariantCulture)} ms): "
            + Format(phases) + $" ({phases.ChannelsOpened} channels)");
    }

    private static string Format(WebRtcSessionPhases p) => string.Join(", ", Steps.Select(s =>
        $"{s.Name} {(p.MillisecondsSinceCreated(s.Get(p)) is { } ms ? ms.ToString("0.0", CultureInfo.InvariantCulture) : "-")}"));

    /// <summary>Median of each step over this launch's sessions except the first (which pays the cold start).</summary>
    private void PrintPhaseSummary()
    {
        List<WebRtcSessionPhases> all;
        lock (_lock)
        {
            all = [.. _phases];
            _phases.Clear();
        }
        if (all.Count == 0)
        {
            return;
        }
        Console.WriteLine("    enslavism phases, first session of the launch: " + Format(all[0]));
        if (all.Count < 2)
        {
            return;
        }
        var rest = all.Skip(1).ToList();
        var cells = Steps.Select(s =>
        {
            var values = rest.Select(p => p.MillisecondsSinceCreated(s.Get(p))).OfType<double>().Order().ToList();
            return values.Count == 0 ? $"{s.Name} -" : $"{s.Name} {values[values.Count / 2].ToString("0.0", CultureInfo.InvariantCulture)}";
        });
        Console.WriteLine($"    enslavism phases, median of the other {rest.Count}: " + string.Join(", ", cells));
    }

    /// <summary>
    /// <see cref="IBenchChannel"/> over our channel: a send waits while <see cref="WebRtcDataChannel.BufferedAmount"/>
    /// is above 1 MiB (the page's own limit), resumed by BufferedAmountLow at 256 KiB, as bench.js does.
    /// </summary>
    private sealed class ChannelAdapter : IBenchChannel
    {
        private const long High = 1 << 20;
        private readonly WebRtcDataChannel _channel;
        private readonly SemaphoreSlim _low = new(0);

        public ChannelAdapter(WebRtcDataChannel channel)
        {
            _channel = channel;
            _channel.BufferedAmountLowThreshold = 256 * 1024;
            _channel.BufferedAmountLow += _ => _low.Release();
        }

        public string Label => _channel.Label;

        public ValueTask SendAsync(ReadOnlyMemory<byte> payload, bool isText, CancellationToken ct)
        {
            if (_channel.BufferedAmount <= High)
            {
                SendNow(payload, isText);
                return ValueTask.CompletedTask;
            }
            return SendLaterAsync(payload, isText, ct);
        }

        private async ValueTask SendLaterAsync(ReadOnlyMemory<byte> payload, bool isText, CancellationToken ct)
        {
            // The low event is edge-triggered; a short poll covers a crossing that happened before the wait began.
            while (_channel.BufferedAmount > High)
            {
                await _low.WaitAsync(TimeSpan.FromMilliseconds(20), ct);
            }
            SendNow(payload, isText);
        }

        private void SendNow(ReadOnlyMemory<byte> payload, bool isText)
        {
            if (isText)
            {
                _channel.Send(System.Text.Encoding.UTF8.GetString(payload.Span));
            }
            else
            {
                _channel.Send(payload.Span);
            }
        }
    }

    /// <summary>The closing run's SCTP counters: whether our DATA or only our SACKs were lost, and how the window behaved.</summary>
    private static void PrintSctpStats(PeerConnection peer)
    {
        var s = peer.Stats.Sctp;
        Console.WriteLine($"    sctp (run above): data sent {s.DataChunksSent} retransmitted {s.DataChunksRetransmitted} (fast {s.FastRetransmits}, T3 {s.T3Expirations}), "
            + $"abandoned {s.MessagesAbandoned}, SACKs sent {s.SacksSent} (with gaps {s.SacksSentWithGaps}) received {s.SacksReceived}, "
            + $"data received {s.DataChunksReceived} (duplicate TSNs {s.DuplicateTsnsReceived}, out of order {s.DataChunksReceivedOutOfOrder}), "
            + $"burst-limited {s.BurstLimitedSends}, delay-limited ACKs {s.DelayLimitedAcks}");
    }
}
