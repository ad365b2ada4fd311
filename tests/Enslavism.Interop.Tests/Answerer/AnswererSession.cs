using System.Net;
using Enslavism.WebRtc.Core;
using Enslavism.WebRtc.DataChannels;
using Enslavism.WebRtc.Dtls;
using Enslavism.WebRtc.Ice;
using Enslavism.WebRtc.Sctp;
using Enslavism.WebRtc.Sdp;

namespace Enslavism.Interop.Tests.Answerer;

/// <summary>
/// One browser session composed from the sans-IO layers (ICE-lite → DTLS → SCTP → DCEP), driven by
/// <see cref="LoopbackAnswerer"/>'s event loop. Test-side stand-in for the product's session type until
/// <c>src/WebRtc/Session</c> lands; it only wires layers together and keeps no protocol logic of its own.
/// </summary>
internal sealed class AnswererSession : IDisposable
{
    private readonly DtlsIdentity _identity;
    private readonly IReadOnlyList<DtlsFingerprint> _remoteFingerprints;
    private readonly SdpOffer _offer;
    private readonly EchoBehaviour _app;
    private readonly Action<IPEndPoint, ReadOnlyMemory<byte>> _send;
    private readonly Action _wake;
    private readonly CancellationTokenSource _cts = new();
    private BcDtlsEngine? _dtls;
    private DataChannelManager? _channels;
    private readonly Dictionary<DataChannel, SansIoEchoChannel> _adapters = [];

    public AnswererSession(TimeSpan now, SdpOffer offer, IceCredentials localCredentials, DtlsIdentity identity,
        EchoBehaviour app, Action<IPEndPoint, ReadOnlyMemory<byte>> send, Action wake)
    {
        _offer = offer;
        _identity = identity;
        _app = app;
        _send = send;
        _wake = wake;
        _remoteFingerprints = [.. offer.Fingerprints.Where(f => f.IsSha256).Select(f => DtlsFingerprint.FromSha256(f.Digest.Span))];
        Ice = new IceLiteAgent(now, localCredentials, offer.IceUfrag, offer.IcePwd);
    }

    public IceLiteAgent Ice { get; }

    public bool IsClosed { get; private set; }

    public void HandleDatagram(TimeSpan now, IPEndPoint source, ReadOnlySpan<byte> datagram)
    {
        switch (Demux.Classify(datagram))
        {
            case DatagramKind.Stun:
                Ice.HandleInput(now, source, datagram);
                break;
            case DatagramKind.Dtls when Ice.IsValidRemote(source):
                if (_dtls is null)
                {
                    StartDtls(now);
                }

                _dtls!.HandleInput(now, datagram);
                break;
            default:
                _app.Note($"dropped {datagram.Length} B from {source}");
                break;
        }
    }

    private void StartDtls(TimeSpan now)
    {
        _dtls = new BcDtlsEngine(DtlsRole.Server, _identity, _remoteFingerprints) { OutputAvailable = _wake };
        _dtls.Start(now);
        var engine = _dtls;
        var token = _cts.Token;
        new Thread(() => engine.RunHandshake(token)) { IsBackground = true, Name = "dtls-handshake" }.Start();
    }

    public void HandleTimeout(TimeSpan now)
    {
        if (Ice.PollTimeout() <= now)
        {
            Ice.HandleTimeout(now);
        }

        if (_dtls?.PollTimeout() <= now)
        {
            _dtls.HandleTimeout(now);
        }

        if (_channels?.PollTimeout() <= now)
        {
            _channels.HandleTimeout(now);
        }
    }

    public TimeSpan? PollTimeout()
    {
        TimeSpan? earliest = Ice.PollTimeout();
        earliest = Min(earliest, _dtls?.PollTimeout());
        return Min(earliest, _channels?.PollTimeout());
    }

    /// <summary>Moves everything queued between the layers until nothing is left (the run-loop drain).</summary>
    public void Pump(TimeSpan now)
    {
        bool progress;
        do
        {
            progress = false;
            while (Ice.TryPollTransmit(out var t))
            {
                _send(t.Destination, t.Payload);
                progress = true;
            }

            while (Ice.TryPollEvent(out var iceEvent))
            {
                _app.Note($"ice {iceEvent.Kind} {iceEvent.Remote}");
                if (iceEvent.Kind is IceEventKind.ConsentLost or IceEventKind.ConnectTimedOut)
                {
                    Close(now);
                }

                progress = true;
            }

            if (_channels is not null)
            {
                while (_channels.TryPollEvent(out var ev))
                {
                    OnChannelEvent(now, ev!);
                    progress = true;
                }

                while (_channels.TryPollTransmit(out var packet))
                {
                    var result = _dtls!.Send(packet.Span);
                    if (result != DtlsSendResult.Sent)
                    {
                        _app.Note($"dtls send {result}");
                    }

                    progress = true;
                }
            }

            if (_dtls is not null)
            {
                while (_dtls.TryPollEvent(out var dtlsEvent))
                {
                    OnDtlsEvent(now, dtlsEvent);
                    progress = true;
                }

                while (_dtls.TryPollTransmit(out var datagram))
                {
                    if (Ice.ActiveRemote is { } remote)
                    {
                        _send(remote, datagram);
                    }

                    progress = true;
                }
            }
        }
        while (progress);
    }

    private void OnChannelEvent(TimeSpan now, DataChannelEvent ev)
    {
        switch (ev)
        {
            case DataChannelOpened opened:
                _app.OnOpened(Adapter(opened.Channel, now));
                break;
            case DataChannelMessageReceived msg:
                _app.OnMessage(Adapter(msg.Channel, now), msg.IsString, msg.Data);
                break;
            case DataChannelClosed closed:
                _app.OnClosed(Adapter(closed.Channel, now));
                break;
            case DataChannelError error:
                _app.Note($"error {error.Kind} {error.Channel} {error.Message}");
                break;
            case DataChannelTransportConnected:
                _app.Note("sctp connected");
                break;
            case DataChannelTransportClosed tc:
                _app.Note($"sctp closed {tc.Reason} {tc.Detail}");
                break;
        }
    }

    private SansIoEchoChannel Adapter(DataChannel channel, TimeSpan now)
    {
        if (!_adapters.TryGetValue(channel, out var adapter))
        {
            adapter = new SansIoEchoChannel(channel);
            _adapters[channel] = adapter;
        }

        adapter.Now = now;
        return adapter;
    }

    /// <summary>The channel as the app sees it; <see cref="Now"/> is the time of the event being handled.</summary>
    private sealed class SansIoEchoChannel(DataChannel channel) : IEchoChannel
    {
        public TimeSpan Now { get; set; }

        public string Label => channel.Label;

        public string? Send(bool isText, byte[] data)
        {
            var result = isText ? channel.Send(Now, System.Text.Encoding.UTF8.GetString(data)) : channel.Send(Now, data);
            return result == DataChannelSendResult.Queued ? null : result.ToString();
        }

        public void Close() => channel.Close(Now);

        public override string ToString() => $"{channel} ordered={channel.Ordered} {channel.Reliability}";
    }

    private void OnDtlsEvent(TimeSpan now, DtlsEvent dtlsEvent)
    {
        switch (dtlsEvent)
        {
            case DtlsHandshakeCompleted done:
                _app.Note($"dtls connected suite=0x{done.CipherSuite:X4} srtp={done.SrtpProtectionProfile} ems={done.ExtendedMasterSecret}");
                var options = new SctpOptions
                {
                    RemotePort = (ushort)_offer.SctpPort,
                    MaxPacketSize = Math.Min(1200, done.MaxApplicationDataSize),
                };
                _channels = new DataChannelManager(new SctpAssociation(options, CryptoSctpRandomSource.Instance));
                break;
            case DtlsApplicationData data:
                _channels?.HandleInput(now, data.Data.Span);
                break;
            case DtlsClosed closed:
                _app.Note($"dtls closed byPeer={closed.ByPeer}");
                Close(now);
                break;
            case DtlsFailed failed:
                _app.Note($"dtls failed {failed.Reason} alert={failed.AlertDescription} {failed.Message}");
                Close(now);
                break;
        }
    }

    private void Close(TimeSpan now)
    {
        if (IsClosed)
        {
            return;
        }

        IsClosed = true;
        _channels?.Abort(now, "session closed");
        Ice.Close();
        _dtls?.Close();
        _cts.Cancel();
    }

    /// <summary>Counters for the failure message (read from another thread: indicative only).</summary>
    public string Describe()
    {
        var stats = _channels?.Association.Stats;
        return stats is null
            ? $"ice {Ice.State}, dtls {_dtls?.State}"
            : $"ice {Ice.State}, dtls {_dtls?.State}; sctp packets in {stats.PacketsReceived} out {stats.PacketsSent}, malformed {stats.MalformedPackets}, dropped {stats.DroppedPackets}, "
              + $"data in {stats.DataChunksReceived} (dup {stats.DuplicateTsnsReceived}, no buffer {stats.DataChunksDroppedNoBuffer}) out {stats.DataChunksSent} "
              + $"(rtx {stats.DataChunksRetransmitted}, fast rtx {stats.FastRetransmits}, T3 {stats.T3Expirations}, abandoned {stats.MessagesAbandoned}), "
              + $"cwnd {_channels!.Association.CongestionWindow}, peer rwnd {_channels.Association.PeerReceiveWindow}, rto {_channels.Association.RetransmissionTimeout.TotalMilliseconds} ms";
    }

    private static TimeSpan? Min(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a < b ? a : b;

    public void Dispose()
    {
        _cts.Cancel();
        _dtls?.Dispose();
        _cts.Dispose();
    }
}
