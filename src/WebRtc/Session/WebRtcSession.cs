using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text;
using Enslavism.WebRtc.Core;
using Enslavism.WebRtc.DataChannels;
using Enslavism.WebRtc.Dtls;
using Enslavism.WebRtc.Ice;
using Enslavism.WebRtc.Sctp;

namespace Enslavism.WebRtc.Session;

/// <summary>
/// Sans-IO WebRTC data-channel session with ONE remote peer: ICE (lite agent as answerer, controlling agent as offerer)
/// → DTLS 1.2 (RFC 8827) → SCTP (RFC 8261) → data channels (RFC 8831/8832). Created by <see cref="WebRtcSessionFactory"/>.
/// <para>
/// Run-loop contract (one owner thread, e.g. the host's event loop; the type is not thread-safe): feed every UDP
/// datagram from the peer to <see cref="HandleDatagram"/>; call <see cref="HandleTimeout"/> when
/// <see cref="PollTimeout"/> has passed; after each of those calls and after every application call (open, send,
/// close) drain <see cref="TryPollTransmit"/> to the socket (then <see cref="Transmit.Release"/> each transmit, which
/// recycles its pooled buffer) and <see cref="TryPollEvent"/> to the application, then
/// wait for the next datagram or the new <see cref="PollTimeout"/>. Sends made between two drains are bundled into as
/// few SCTP packets as possible. With <see cref="WebRtcSessionOptions.ReceiveBatchPackets"/> above 1, datagrams received
/// between two drains once connected are answered together too (a SACK per batch), so a host that has several
/// datagrams at hand feeds them all and then drains once.
/// </para>
/// <para>
/// DTLS engines with a blocking handshake (BouncyCastle): after a call, <see cref="TryTakeHandshakeWork"/> yields the
/// handshake to run on a worker thread (bounded by the host with <see cref="DtlsHandshakeLimiter"/>). While it runs,
/// the engine invokes <see cref="WakeUp"/> from that worker: the host must then call <see cref="Drain"/> on the owner
/// thread. Time is the caller's monotonic <c>now</c>; the session never reads a clock, sleeps or starts threads.
/// Hostile or malformed datagrams never throw: they are dropped and counted in <see cref="Stats"/>.
/// </para>
/// </summary>
public sealed class WebRtcSession
{
    private readonly IceLiteAgent? _lite;
    private readonly IceControllingAgent? _controlling;
    private readonly IDtlsEngine _dtls;
    private readonly DataChannelManager _channels;
    private readonly WebRtcSessionOptions _options;
    private readonly long _remoteMaxMessageSize;
    private readonly Queue<Transmit> _transmits = new();
    private readonly Queue<SessionEvent> _events = new();
    private readonly Action<WebRtcSession>? _onClosed;
    private bool _dtlsStarted;
    private bool _handshakeWorkPending;
    private bool _eventOverflow;
    private bool _pumpPending;
    private int _packetsSinceFlush;
    private TransmitBufferPool? _transmitBuffers;
    private TimeSpan? _closeDeadline;
    private TimeSpan _now;

    internal WebRtcSession(
        TimeSpan now,
        IceLiteAgent? lite,
        IceControllingAgent? controlling,
        IDtlsEngine dtls,
        SctpOptions sctpOptions,
        ISctpRandomSource sctpRandom,
        WebRtcSessionOptions options,
        long remoteMaxMessageSize,
        Action<WebRtcSession>? onClosed)
    {
        if ((lite is null) == (controlling is null))
        {
            throw new ArgumentException("exactly one ICE agent is required");
        }

        _now = now;
        _lite = lite;
        _controlling = controlling;
        _dtls = dtls;
        _options = options;
        _remoteMaxMessageSize = remoteMaxMessageSize;
        _onClosed = onClosed;
        var association = new SctpAssociation(sctpOptions, sctpRandom);
        Stats.Sctp = association.Stats;
        _channels = new DataChannelManager(association, new DataChannelManagerOptions
        {
            // RFC 8832 §6: the DTLS client uses even stream ids, the server odd ones.
            UseOddStreamIds = dtls.Role == DtlsRole.Server,
            MaxChannels = options.MaxChannels,
        });
        LocalCredentials = lite?.LocalCredentials ?? controlling!.LocalCredentials;
        Stats.Phases.Created = now;
    }

    /// <summary>True for the answerer (ICE-lite, controlled), false for the .NET offerer (controlling).</summary>
    public bool IsAnswerer => _lite is not null;

    public DtlsRole DtlsRole => _dtls.Role;

    public IceCredentials LocalCredentials { get; }

    public WebRtcSessionState State { get; private set; } = WebRtcSessionState.Connecting;

    /// <summary>Where datagrams to the peer go: the ICE-selected (or, before nomination, latest checked) address.</summary>
    public IPEndPoint? RemoteEndPoint => _lite is not null ? _lite.ActiveRemote : _controlling!.ActiveRemote;

    /// <summary>Offerer: the answer's candidates it checks (empty for an answerer, which learns addresses from checks).</summary>
    public IReadOnlyList<IPEndPoint> RemoteCandidates => _controlling?.RemoteCandidates ?? [];

    /// <summary>The peer's verified certificate fingerprint once DTLS completed.</summary>
    public DtlsFingerprint? PeerFingerprint { get; private set; }

    public WebRtcSessionStats Stats { get; } = new();

    public SctpAssociation Sctp => _channels.Association;

    public IReadOnlyCollection<DataChannel> Channels => _channels.Channels;

    /// <summary>Largest message the peer accepts (its <c>a=max-message-size</c>).</summary>
    public long RemoteMaxMessageSize => _remoteMaxMessageSize;

    /// <summary>Invoked from the DTLS handshake worker when output is pending: schedule <see cref="Drain"/> on the owner thread.</summary>
    public Action? WakeUp
    {
        get => _dtls.OutputAvailable;
        set => _dtls.OutputAvailable = value;
    }

    /// <summary>The close reason once <see cref="State"/> is Closed.</summary>
    public SessionClosed? CloseInfo { get; private set; }

    public void HandleDatagram(TimeSpan now, IPEndPoint source, ReadOnlySpan<byte> datagram)
    {
        ArgumentNullException.ThrowIfNull(source);
        Advance(now);
        Stats.DatagramsReceived++;
        if (State == WebRtcSessionState.Closed)
        {
            Stats.DroppedAfterClose++;
            return;
        }

        switch (Demux.Classify(datagram))
        {
            case DatagramKind.Stun:
                Stats.Phases.FirstStunReceived ??= _now;
                if (_lite is not null)
                {
                    _lite.HandleInput(_now, source, datagram);
                }
                else
                {
                    _controlling!.HandleInput(_now, source, datagram);
                }

                break;
            case DatagramKind.Dtls:
                // RFC 8842 §6 / RFC 7675: DTLS only from an address that passed an ICE check.
                if (!IsValidRemote(source))
                {
                    Stats.DroppedUncheckedDtls++;
                    return;
                }

                StartDtls();
                var phases = Stats.Phases;
                phases.FirstDtlsReceived ??= _now;
                if (phases.DtlsConnected is null)
                {
                    phases.LastHandshakeDatagramReceived = _now;
                }

                _dtls.HandleInput(_now, datagram);
                if (State == WebRtcSessionState.Connected && _options.ReceiveBatchPackets > 1)
                {
                    // Steady state: the layers above run at the next drain (TryPollTransmit/TryPollEvent/PollTimeout),
                    // so a host that drains once per batch of datagrams answers up to ReceiveBatchPackets of them with
                    // one SACK and bundles what they trigger, instead of a SACK datagram per two packets received.
                    _pumpPending = true;
                    return;
                }

                break;
            default:
                Stats.DroppedUnknownKind++;
                return;
        }

        Pump();
    }

    public void HandleTimeout(TimeSpan now)
    {
        Advance(now);
        if (State == WebRtcSessionState.Closed)
        {
            return;
        }

        _lite?.HandleTimeout(_now);
        _controlling?.HandleTimeout(_now);
        if (_dtlsStarted)
        {
            _dtls.HandleTimeout(_now);
        }

        _channels.HandleTimeout(_now);
        if (_closeDeadline is { } deadline && _now >= deadline)
        {
            _closeDeadline = null;
            _channels.Abort(_now, "graceful close timed out");
        }

        Pump();
    }

    public TimeSpan? PollTimeout()
    {
        if (State == WebRtcSessionState.Closed)
        {
            return null;
        }

        FlushSends();
        var earliest = _lite is not null ? _lite.PollTimeout() : _controlling!.PollTimeout();
        earliest = Min(earliest, _dtlsStarted ? _dtls.PollTimeout() : null);
        earliest = Min(earliest, _channels.PollTimeout());
        return Min(earliest, _closeDeadline);
    }

    public bool TryPollTransmit(out Transmit transmit)
    {
        FlushSends();
        return _transmits.TryDequeue(out transmit);
    }

    public bool TryPollEvent([NotNullWhen(true)] out SessionEvent? sessionEvent)
    {
        FlushSends();
        return _events.TryDequeue(out sessionEvent);
    }

    /// <summary>
    /// Hands out the blocking DTLS handshake once (engines with <see cref="IDtlsEngine.RequiresHandshakeWorker"/>):
    /// run it on a worker thread; it returns when the handshake ended or the token fired.
    /// </summary>
    public bool TryTakeHandshakeWork([NotNullWhen(true)] out Action<CancellationToken>? work)
    {
        if (!_handshakeWorkPending)
        {
            work = null;
            return false;
        }

        _handshakeWorkPending = false;
        work = _dtls.RunHandshake;
        return true;
    }

    /// <summary>Moves pending output between the layers (after a <see cref="WakeUp"/> or direct <see cref="DataChannel"/> calls).</summary>
    public void Drain(TimeSpan now)
    {
        Advance(now);
        if (State != WebRtcSessionState.Closed)
        {
            Pump();
        }
    }

    /// <summary>Opens an in-band (DCEP) channel; it opens once SCTP is up. Null with a typed error when refused.</summary>
    public DataChannel? OpenChannel(TimeSpan now, DataChannelOptions options, out SessionError? error)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Open(now, options, null, out error);
    }

    /// <summary>Pre-negotiated channel on <paramref name="streamId"/> (both sides configure it; no DCEP).</summary>
    public DataChannel? OpenNegotiatedChannel(TimeSpan now, ushort streamId, DataChannelOptions options, out SessionError? error)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Open(now, options, streamId, out error);
    }

    public DataChannelSendResult Send(TimeSpan now, DataChannel channel, ReadOnlySpan<byte> data) => SendCore(now, channel, data, null, isText: false);

    /// <summary>
    /// Queues <paramref name="data"/> (UTF-8 text when <paramref name="isText"/>) and takes ownership of the array: no
    /// copy is made, so the caller must not modify it afterwards. For hosts that already copied the application's bytes.
    /// </summary>
    public DataChannelSendResult SendOwned(TimeSpan now, DataChannel channel, byte[] data, bool isText)
    {
        ArgumentNullException.ThrowIfNull(data);
        return SendCore(now, channel, data, data, isText);
    }

    public DataChannelSendResult Send(TimeSpan now, DataChannel channel, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(channel);
        Advance(now);
        if (State != WebRtcSessionState.Connected)
        {
            return DataChannelSendResult.NotOpen;
        }

        if (Encoding.UTF8.GetByteCount(text) > _remoteMaxMessageSize)
        {
            return DataChannelSendResult.MessageTooLarge;
        }

        var result = channel.Send(_now, text);
        _pumpPending = true;
        return result;
    }

    /// <summary>Closes one channel with an SCTP stream reset (RFC 8831 §6.7); other channels are unaffected.</summary>
    public void CloseChannel(TimeSpan now, DataChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        Advance(now);
        channel.Close(_now);
        Pump();
    }

    /// <summary>
    /// Graceful close: SCTP SHUTDOWN after queued data (RFC 9260 §9.2), then DTLS close_notify; aborts after
    /// <see cref="WebRtcSessionOptions.GracefulCloseTimeout"/>. Ends with <see cref="SessionClosed"/>(LocalClose).
    /// </summary>
    public void Close(TimeSpan now)
    {
        Advance(now);
        if (State is WebRtcSessionState.Closed or WebRtcSessionState.Closing)
        {
            return;
        }

        if (!_channels.Association.IsEstablished)
        {
            Terminate(SessionCloseReason.LocalClose, "closed before SCTP was up");
            return;
        }

        State = WebRtcSessionState.Closing;
        _closeDeadline = _now + _options.GracefulCloseTimeout;
        _channels.Shutdown(_now);
        Pump();
    }

    /// <summary>Immediate close: SCTP ABORT and DTLS close_notify.</summary>
    public void Abort(TimeSpan now, string reason)
    {
        Advance(now);
        Terminate(SessionCloseReason.LocalClose, reason);
    }

    private DataChannel? Open(TimeSpan now, DataChannelOptions options, ushort? negotiatedId, out SessionError? error)
    {
        Advance(now);
        if (State is WebRtcSessionState.Closed or WebRtcSessionState.Closing)
        {
            error = new SessionError(SessionErrorReason.SessionClosed, "the session is closing or closed");
            return null;
        }

        if (_channels.Channels.Count >= _options.MaxChannels)
        {
            error = new SessionError(SessionErrorReason.TooManyChannels, $"{_options.MaxChannels} channels are open");
            return null;
        }

        var channel = negotiatedId is { } id ? _channels.CreateNegotiatedChannel(_now, id, options) : _channels.CreateChannel(_now, options);
        if (channel is null)
        {
            error = new SessionError(SessionErrorReason.NoFreeStreamId, negotiatedId is null ? "no free stream id" : $"stream {negotiatedId} is taken");
            return null;
        }

        error = null;
        Pump();
        return channel;
    }

    private DataChannelSendResult SendCore(TimeSpan now, DataChannel channel, ReadOnlySpan<byte> data, byte[]? owned, bool isText)
    {
        ArgumentNullException.ThrowIfNull(channel);
        Advance(now);
        if (State != WebRtcSessionState.Connected)
        {
            return DataChannelSendResult.NotOpen;
        }

        if (data.Length > _remoteMaxMessageSize)
        {
            return DataChannelSendResult.MessageTooLarge;
        }

        var result = owned is not null ? channel.SendOwned(_now, owned, isText) : channel.Send(_now, data);
        // Not pumped here: sends until the next poll are bundled into shared SCTP packets (webrtc-stack.md §8.3).
        _pumpPending = true;
        return result;
    }

    private void FlushSends()
    {
        if (_pumpPending)
        {
            _pumpPending = false;
            if (State != WebRtcSessionState.Closed)
            {
                Pump();
            }
        }
    }

    private bool IsValidRemote(IPEndPoint source) => _lite is not null ? _lite.IsValidRemote(source) : _controlling!.IsValidRemote(source);

    private void StartDtls()
    {
        if (_dtlsStarted)
        {
            return;
        }

        _dtlsStarted = true;
        Stats.Phases.DtlsStarted = _now;
        _dtls.Start(_now);
        _handshakeWorkPending = _dtls.RequiresHandshakeWorker;
    }

    private void Advance(TimeSpan now)
    {
        // Layers require monotonic time; a caller's clock going backwards is clamped.
        if (now > _now)
        {
            _now = now;
        }
    }

    /// <summary>Moves data between the layers until nothing changes.</summary>
    private void Pump()
    {
        for (var round = 0; round < 8 && State != WebRtcSessionState.Closed; round++)
        {
            var progress = PumpIce();
            if (State == WebRtcSessionState.Closed)
            {
                return;
            }

            if (_controlling?.SelectedRemote is not null)
            {
                // The offerer is the DTLS client here: its ClientHello goes out once a pair is valid.
                StartDtls();
            }

            progress |= PumpDtlsEvents();
            if (State == WebRtcSessionState.Closed)
            {
                return;
            }

            PumpSctpToDtls();
            PumpDtlsToWire();
            progress |= PumpChannelEvents();
            if (_eventOverflow)
            {
                Terminate(SessionCloseReason.ProtocolError, "application did not drain session events");
                return;
            }

            if (!progress)
            {
                return;
            }
        }
    }

    private bool PumpIce()
    {
        var progress = false;
        Transmit transmit;
        while (_lite is not null ? _lite.TryPollTransmit(out transmit) : _controlling!.TryPollTransmit(out transmit))
        {
            EnqueueTransmit(transmit);
        }

        if (Stats.Phases.IceFirstValid is null && RemoteEndPoint is not null)
        {
            Stats.Phases.IceFirstValid = _now;
        }

        IceEvent iceEvent;
        while (_lite is not null ? _lite.TryPollEvent(out iceEvent) : _controlling!.TryPollEvent(out iceEvent))
        {
            progress = true;
            switch (iceEvent.Kind)
            {
                case IceEventKind.Selected:
                    Stats.Phases.IceSelected ??= _now;
                    break;
                case IceEventKind.ConsentLost:
                    Terminate(SessionCloseReason.ConsentLost, "no ICE consent for the consent timeout");
                    return true;
                case IceEventKind.ConnectTimedOut:
                    Terminate(SessionCloseReason.IceConnectTimeout, "no ICE check succeeded");
                    return true;
            }
        }

        return progress;
    }

    private bool PumpDtlsEvents()
    {
        var progress = false;
        while (_dtls.TryPollEvent(out var dtlsEvent))
        {
            progress = true;
            switch (dtlsEvent)
            {
                case DtlsHandshakeCompleted completed:
                    Stats.Phases.DtlsConnected ??= _now;
                    PeerFingerprint = completed.PeerFingerprint;
                    if (completed.MaxApplicationDataSize < _channels.Association.Options.MaxPacketSize)
                    {
                        Terminate(SessionCloseReason.DtlsFailed, $"DTLS record limit {completed.MaxApplicationDataSize} is below the SCTP packet size", DtlsFailureReason.InternalError);
                        return true;
                    }

                    if (_dtls.Role == DtlsRole.Client)
                    {
                        // RFC 8841 §10: either side may INIT; the DTLS client does it so the association starts at once.
                        _channels.Connect(_now);
                    }

                    break;
                case DtlsApplicationData data:
                    // The record's plaintext is ours for good (DtlsApplicationData): SCTP may keep slices of it.
                    _channels.HandleInputOwned(_now, data.Data);
                    if (_options.ReceiveBatchPackets > 1 && ++_packetsSinceFlush >= _options.ReceiveBatchPackets)
                    {
                        _packetsSinceFlush = 0;
                        PumpSctpToDtls();
                        PumpDtlsToWire();
                    }

                    break;
                case DtlsClosed closed:
                    Terminate(closed.ByPeer ? SessionCloseReason.DtlsClosedByPeer : SessionCloseReason.LocalClose, "DTLS closed");
                    return true;
                case DtlsFailed failed:
                    Terminate(SessionCloseReason.DtlsFailed, failed.Message, failed.Reason);
                    return true;
            }
        }

        return progress;
    }

    private void PumpSctpToDtls()
    {
        _packetsSinceFlush = 0;
        var overhead = _dtls.RecordOverhead;
        var remote = RemoteEndPoint;
        if (overhead <= 0 || remote is null)
        {
            // Before the record layer exists (or without a selected pair) the old queued path reports the refusal.
            while (_channels.TryPollTransmit(out var packet))
            {
                if (_dtls.Send(packet.Span) != DtlsSendResult.Sent)
                {
                    Stats.DroppedSctpPackets++;
                }
            }

            return;
        }

        // Whatever DTLS queued itself (alerts, a retransmitted final flight) leaves first, as before.
        PumpDtlsToWire();
        var pool = _transmitBuffers;
        if (pool is null || pool.BufferSize < _channels.Association.Options.MaxPacketSize + overhead)
        {
            pool = _transmitBuffers = new TransmitBufferPool(_channels.Association.Options.MaxPacketSize + overhead, _options.MaxPooledTransmitBuffers);
        }

        // SCTP encodes into its own reused buffer, DTLS seals from it straight into a pooled datagram the host
        // releases after its sendto: no allocation per packet on either layer.
        while (_channels.TryPeekTransmit(out var packet))
        {
            var pooled = packet.Length + overhead <= pool.BufferSize;
            var buffer = pooled ? pool.Rent() : new byte[packet.Length + overhead];
            var result = _dtls.SendTo(packet, buffer, out var written);
            _channels.ConsumeTransmit();
            if (result != DtlsSendResult.Sent)
            {
                Stats.DroppedSctpPackets++;
                if (pooled)
                {
                    pool.Return(buffer);
                }

                continue;
            }

            var transmit = new Transmit(remote, buffer.AsMemory(0, written)) { Pool = pooled ? pool : null };
            if (!EnqueueTransmit(transmit))
            {
                transmit.Release();
            }
        }
    }

    private void PumpDtlsToWire()
    {
        var remote = RemoteEndPoint;
        while (_dtls.TryPollTransmit(out var datagram))
        {
            if (remote is null)
            {
                Stats.DroppedTransmits++;
                continue;
            }

            Stats.Phases.FirstDtlsSent ??= _now;
            EnqueueTransmit(new Transmit(remote, datagram));
        }
    }

    private bool PumpChannelEvents(bool terminating = false)
    {
        var progress = false;
        while (_channels.TryPollEvent(out var channelEvent))
        {
            progress = true;
            switch (channelEvent)
            {
                case DataChannelTransportConnected:
                    Stats.Phases.SctpEstablished ??= _now;
                    if (State == WebRtcSessionState.Connecting)
                    {
                        State = WebRtcSessionState.Connected;
                        EnqueueEvent(new SessionConnected(RemoteEndPoint!, PeerFingerprint!));
                    }

                    break;
                case DataChannelOpened opened:
                    Stats.Phases.FirstChannelOpened ??= _now;
                    Stats.Phases.LastChannelOpened = _now;
                    Stats.Phases.ChannelsOpened++;
                    EnqueueEvent(new ChannelOpened(opened.Channel, opened.OpenedByPeer));
                    break;
                case DataChannelMessageReceived message:
                    EnqueueEvent(new ChannelMessage(message.Channel, message.IsString, message.Data));
                    break;
                case DataChannelClosed closed:
                    EnqueueEvent(new ChannelClosed(closed.Channel));
                    break;
                case DataChannelBufferedAmountLow low:
                    EnqueueEvent(new BufferedAmountLow(low.Channel));
                    break;
                case DataChannelError channelError:
                    EnqueueEvent(new ChannelError(channelError.Channel, channelError.Kind, channelError.Message));
                    break;
                case DataChannelTransportClosed transportClosed when !terminating:
                    var reason = transportClosed.Reason switch
                    {
                        SctpCloseReason.Shutdown => State == WebRtcSessionState.Closing ? SessionCloseReason.LocalClose : SessionCloseReason.Shutdown,
                        SctpCloseReason.PeerAbort => SessionCloseReason.SctpAbort,
                        SctpCloseReason.LocalAbort => SessionCloseReason.LocalClose,
                        SctpCloseReason.InitTimeout or SctpCloseReason.RetransmissionLimit => SessionCloseReason.Timeout,
                        _ => SessionCloseReason.ProtocolError,
                    };
                    Terminate(reason, transportClosed.Detail ?? transportClosed.Reason.ToString());
                    return true;
            }
        }

        return progress;
    }

    /// <summary>Ends every layer once: SCTP ABORT (if still up), DTLS close_notify, ICE stops; then SessionClosed.</summary>
    private void Terminate(SessionCloseReason reason, string detail, DtlsFailureReason? dtlsFailure = null)
    {
        if (State == WebRtcSessionState.Closed)
        {
            return;
        }

        State = WebRtcSessionState.Closed;
        _closeDeadline = null;
        if (_channels.Association.State is not (SctpState.Terminated or SctpState.Closed))
        {
            _channels.Abort(_now, detail);
        }
        else if (_channels.Association.State == SctpState.Closed)
        {
            // Never associated: nothing to abort on the wire, but channels created early must still close.
            _channels.Abort(_now, detail);
        }

        PumpSctpToDtls();
        PumpChannelEvents(terminating: true);
        _dtls.Close();
        PumpDtlsToWire();
        while (_dtls.TryPollEvent(out _))
        {
        }

        _lite?.Close();
        _controlling?.Close();
        CloseInfo = new SessionClosed(reason, detail, dtlsFailure);
        _events.Enqueue(CloseInfo);
        _onClosed?.Invoke(this);
    }

    private bool EnqueueTransmit(Transmit transmit)
    {
        if (_transmits.Count >= _options.MaxQueuedTransmits)
        {
            Stats.DroppedTransmits++;
            return false;
        }

        _transmits.Enqueue(transmit);
        return true;
    }

    private void EnqueueEvent(SessionEvent sessionEvent)
    {
        if (_events.Count >= _options.MaxQueuedEvents)
        {
            _eventOverflow = true;
            return;
        }

        _events.Enqueue(sessionEvent);
    }

    private static TimeSpan? Min(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a < b ? a : b;
}
