using System.Net;
using Enslavism.WebRtc.Host;
using Microsoft.Playwright;

namespace Enslavism.Bench.Browser;

/// <summary>
/// Our stack as the remote answerer: one <see cref="WebRtcEndpoint"/> bound to 127.0.0.1 (LoopbackOnly, ICE-lite)
/// answers the page's offer, and every data channel the page opens is wired into a <see cref="BenchResponder"/>.
/// One endpoint per browser launch (as a slave keeps one), one responder per peer connection (as the page expects a
/// fresh peer per run).
/// </summary>
internal sealed class EnslavismSubject : IBenchSubject
{
    private readonly List<PeerConnection> _peers = [];
    private readonly Lock _lock = new();
    private WebRtcEndpoint? _endpoint;

    public string Name => "enslavism-chrome";
    public string Mode => "remote";
    public string Gather => "none";

    public Task StartAsync(IBrowser browser, Uri baseUrl, CancellationToken ct)
    {
        _endpoint = new WebRtcEndpoint(new WebRtcEndpointOptions
        {
            BindEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            LoopbackOnly = true,
        });
        return Task.CompletedTask;
    }

    public async Task<string> AnswerAsync(string offerSdp, CancellationToken ct)
    {
        var endpoint = _endpoint ?? throw new InvalidOperationException("not started");
        var (answer, peer) = await endpoint.AcceptOfferAsync(offerSdp, ct);
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
            PrintSctpStats(p);
            p.Close();
        }
        if (_endpoint is not null)
        {
            await _endpoint.DisposeAsync();
            _endpoint = null;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

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
