namespace Enslavism.WebRtc.Sctp;

/// <summary>
/// Sans-IO SCTP association (RFC 9260 subset for WebRTC data channels, with PR-SCTP RFC 3758 and stream reset
/// RFC 6525), carried over DTLS (RFC 8261). One instance per peer; both roles: call <see cref="Connect"/> for an active
/// open, or just feed packets for a passive one (a stateless HMAC cookie answers INITs).
/// <para>
/// Run-loop contract: after every <see cref="HandleInput"/>, <see cref="HandleTimeout"/>, <see cref="Send"/>,
/// <see cref="ResetStream"/>, <see cref="Shutdown"/> or <see cref="Abort"/>, drain <see cref="TryPollTransmit"/> (each
/// item is one whole SCTP packet for DTLS) and <see cref="TryPollEvent"/>, then sleep until <see cref="PollTimeout"/>
/// and call <see cref="HandleTimeout"/>. Sends made between two drains are bundled into as few packets as possible.
/// Time is only ever the caller's monotonic <c>now</c>. Malformed input never throws; it is counted in
/// <see cref="Stats"/> and dropped. Besides the RFC timers, <see cref="PollTimeout"/> carries the pacing tick of a
/// sender held back by <see cref="SctpOptions.MaxBurst"/> and the idle HEARTBEAT timer, so the host's ordinary timer
/// path keeps a burst-limited flow going.
/// </para>
/// </summary>
public sealed partial class SctpAssociation
{
    /// <summary>Cap on unrecognized chunks/parameters echoed back per packet (RFC 9260 §3.2 reporting).</summary>
    private const int MaxReportedBytes = 512;

    private readonly SctpOptions _options;
    private readonly ISctpRandomSource _random;
    private readonly byte[] _cookieKey;
    private readonly Queue<ArraySegment<byte>> _transmits = new();

    // Packet buffers (MaxPacketSize each) that came back through ConsumeTransmit; a packet handed out by
    // TryPollTransmit belongs to its caller and never returns here.
    private readonly Stack<byte[]> _packetBuffers = new();
    private readonly Queue<SctpEvent> _events = new();
    private readonly List<SctpChunk> _controlChunks = [];

    private TimeSpan _now;
    private uint _localTag;
    private uint _peerTag;
    private uint _localInitialTsn;
    private bool _peerSupportsForwardTsn;
    private bool _peerSupportsReConfig;
    private ushort _outboundStreams;
    private ushort _inboundStreams;

    // Handshake (T1) and shutdown (T2) retransmission.
    private SctpChunk? _t1Chunk;
    private TimeSpan? _t1Deadline;
    private int _t1Count;
    private TimeSpan? _t2Deadline;
    private int _t2Count;

    public SctpAssociation(SctpOptions options, ISctpRandomSource random)
    {
        options.Validate();
        _options = options;
        _random = random;
        if (options.CookieSecret is { } secret)
        {
            _cookieKey = secret.ToArray();
        }
        else
        {
            _cookieKey = new byte[32];
            random.NextBytes(_cookieKey);
        }

        _rto = options.RtoInitial;
        _cwnd = InitialCwnd;
        _peerRwnd = (uint)options.ReceiveBufferSize;
        _ssthresh = _peerRwnd;
    }

    public SctpState State { get; private set; } = SctpState.Closed;

    public SctpStats Stats { get; } = new();

    public SctpOptions Options => _options;

    /// <summary>Streams usable for sending after the handshake: min(our OS, peer MIS).</summary>
    public ushort OutboundStreamCount => _outboundStreams;

    public ushort InboundStreamCount => _inboundStreams;

    /// <summary>True once the peer advertised PR-SCTP (param 0xC000 or FORWARD-TSN in Supported Extensions).</summary>
    public bool PeerSupportsPartialReliability => _peerSupportsForwardTsn;

    public bool IsEstablished => State is SctpState.Established;

    /// <summary>Tag the peer must put in its packets (0 before the handshake).</summary>
    public uint LocalVerificationTag => _localTag;

    /// <summary>Active open: sends INIT and retransmits it on T1-init expiry (RFC 9260 §5.1).</summary>
    public void Connect(TimeSpan now)
    {
        Tick(now);
        if (State != SctpState.Closed)
        {
            return;
        }

        _localTag = NewTag();
        _localInitialTsn = NewTag();
        InitializeSendSide();
        var init = new InitChunk(_localTag, (uint)_options.ReceiveBufferSize, _options.OutboundStreams, _options.MaxInboundStreams, _localInitialTsn, LocalInitParameters());
        State = SctpState.CookieWait;
        StartT1(init);
        SendControlPacket(0, init);
    }

    /// <summary>Graceful close (RFC 9260 §9.2): queued data is delivered first, then SHUTDOWN.</summary>
    public void Shutdown(TimeSpan now)
    {
        Tick(now);
        switch (State)
        {
            case SctpState.Established:
                State = SctpState.ShutdownPending;
                break;
            case SctpState.Closed or SctpState.CookieWait or SctpState.CookieEchoed:
                Terminate(SctpCloseReason.Shutdown, "closed before establishment", sendAbort: State != SctpState.Closed);
                break;
        }
    }

    /// <summary>Immediate close with ABORT (RFC 9260 §9.1).</summary>
    public void Abort(TimeSpan now, string reason)
    {
        Tick(now);
        if (State is SctpState.Terminated)
        {
            return;
        }

        Terminate(SctpCloseReason.LocalAbort, reason, sendAbort: State != SctpState.Closed, cause: SctpErrorCause.FromText(SctpErrorCauseCode.UserInitiatedAbort, reason));
    }

    public bool TryPollEvent(out SctpEvent? ev) => _events.TryDequeue(out ev);

    /// <summary>Next SCTP packet to hand to DTLS. Builds packets from everything queued since the last drain.</summary>
    public bool TryPollTransmit(out ReadOnlyMemory<byte> packet)
    {
        if (_transmits.Count == 0)
        {
            Flush();
        }

        if (_transmits.TryDequeue(out var bytes))
        {
            packet = bytes;
            return true;
        }

        packet = default;
        return false;
    }

    /// <summary>
    /// Zero-allocation form of <see cref="TryPollTransmit(out ReadOnlyMemory{byte})"/>: shows the next packet without
    /// taking it. The span is only valid until <see cref="ConsumeTransmit"/> (or any other call into the association),
    /// which must follow every true return; the association then reuses the packet's buffer.
    /// </summary>
    internal bool TryPeekTransmit(out ReadOnlySpan<byte> packet)
    {
        if (_transmits.Count == 0)
        {
            Flush();
        }

        if (_transmits.TryPeek(out var bytes))
        {
            packet = bytes;
            return true;
        }

        packet = default;
        return false;
    }

    /// <summary>Drops the packet <see cref="TryPeekTransmit"/> showed and takes its buffer back for the next packets.</summary>
    internal void ConsumeTransmit()
    {
        var bytes = _transmits.Dequeue();
        if (bytes.Array is { } array && array.Length == _options.MaxPacketSize && _packetBuffers.Count < MaxPooledPacketBuffers)
        {
            _packetBuffers.Push(array);
        }
    }

    private const int MaxPooledPacketBuffers = 64;

    /// <summary>Encodes a packet into a reused buffer when it fits one (all but oversized control packets do).</summary>
    private void EnqueuePacket(SctpPacket packet)
    {
        var length = packet.EncodedLength;
        var buffer = length > _options.MaxPacketSize ? new byte[length]
            : _packetBuffers.TryPop(out var pooled) ? pooled
            : new byte[_options.MaxPacketSize];
        _transmits.Enqueue(new ArraySegment<byte>(buffer, 0, packet.Encode(buffer)));
        Stats.PacketsSent++;
    }

    public TimeSpan? PollTimeout()
    {
        TimeSpan? earliest = null;
        Consider(ref earliest, _t1Deadline);
        Consider(ref earliest, _t2Deadline);
        Consider(ref earliest, _t3Deadline);
        Consider(ref earliest, _ackDeadline);
        Consider(ref earliest, _reconfigDeadline);
        Consider(ref earliest, _paceDeadline);
        Consider(ref earliest, _heartbeatDeadline);

        return earliest;

        static void Consider(ref TimeSpan? earliest, TimeSpan? candidate)
        {
            if (candidate is { } c && (earliest is null || c < earliest))
            {
                earliest = c;
            }
        }
    }

    public void HandleTimeout(TimeSpan now)
    {
        Tick(now);
        if (_t1Deadline <= now)
        {
            OnT1Expired();
        }

        if (_t2Deadline <= now)
        {
            OnT2Expired();
        }

        if (_t3Deadline <= now)
        {
            OnT3Expired();
        }

        if (_ackDeadline <= now)
        {
            _ackDeadline = null;
            _sackNow = true;
        }

        if (_reconfigDeadline <= now)
        {
            OnReconfigTimerExpired();
        }

        if (_paceDeadline <= now)
        {
            OnPaceTimer();
        }

        if (_heartbeatDeadline <= now)
        {
            OnHeartbeatTimer();
        }
    }

    /// <summary>Feeds one SCTP packet (one DTLS application record). Never throws on malformed input.</summary>
    public void HandleInput(TimeSpan now, ReadOnlySpan<byte> data) => HandleInput(now, data, default);

    /// <summary>
    /// <see cref="HandleInput(TimeSpan, ReadOnlySpan{byte})"/> of a packet buffer the caller gives up for good (e.g. a
    /// decrypted DTLS record, <see cref="Dtls.DtlsApplicationData"/>): large DATA fragments are kept as slices of it
    /// until reassembly instead of being copied first.
    /// </summary>
    internal void HandleInputOwned(TimeSpan now, ReadOnlyMemory<byte> data) => HandleInput(now, data.Span, data);

    private void HandleInput(TimeSpan now, ReadOnlySpan<byte> data, ReadOnlyMemory<byte> owned)
    {
        Tick(now);
        Stats.PacketsReceived++;
        if (State == SctpState.Terminated)
        {
            return;
        }

        SctpPacket? packet;
        SctpParseError error;
        if (!(owned.IsEmpty ? SctpPacket.TryParse(data, out packet, out error) : SctpPacket.TryParseOwned(owned, out packet, out error)))
        {
            Stats.MalformedPackets++;
            Stats.LastParseError = error;
            return;
        }

        if (packet!.DestinationPort != _options.LocalPort || packet.SourcePort != _options.RemotePort)
        {
            Stats.DroppedPackets++;
            return;
        }

        HandlePacket(packet);
    }

    private void HandlePacket(SctpPacket packet)
    {
        var chunks = packet.Chunks;
        if (chunks[0] is InitChunk init)
        {
            // RFC 9260 §8.5.1: an INIT is alone in its packet and carries tag 0.
            if (chunks.Count != 1 || packet.VerificationTag != 0)
            {
                Stats.DroppedPackets++;
                return;
            }

            HandleInit(init);
            return;
        }

        var dataSeen = false;
        List<SctpErrorCause>? reported = null;
        var reportedBytes = 0;
        for (var i = 0; i < chunks.Count; i++)
        {
            var chunk = chunks[i];
            if (!IsTagAcceptable(packet.VerificationTag, chunk))
            {
                Stats.DroppedPackets++;
                return;
            }

            switch (chunk)
            {
                case InitChunk:
                    Stats.DroppedPackets++;
                    return;
                case InitAckChunk initAck:
                    HandleInitAck(initAck);
                    break;
                case CookieEchoChunk echo:
                    if (!HandleCookieEcho(packet.VerificationTag, echo))
                    {
                        return;
                    }

                    break;
                case CookieAckChunk:
                    HandleCookieAck();
                    break;
                case DataChunk dataChunk:
                    if (State is SctpState.Established or SctpState.ShutdownPending or SctpState.ShutdownSent)
                    {
                        dataSeen = true;
                        HandleData(dataChunk);
                    }

                    break;
                case SackChunk sack:
                    if (HasAssociation)
                    {
                        HandleSack(sack);
                    }

                    break;
                case ForwardTsnChunk forwardTsn:
                    if (HasAssociation)
                    {
                        HandleForwardTsn(forwardTsn);
                    }

                    break;
                case ReConfigChunk reconfig:
                    if (HasAssociation)
                    {
                        HandleReConfig(reconfig);
                    }

                    break;
                case HeartbeatChunk heartbeat:
                    // An echo that cannot fit one packet would exceed the DTLS record limit; real peers send a few bytes.
                    if (HasAssociation && heartbeat.PaddedLength <= Mtu - SctpPacket.CommonHeaderLength)
                    {
                        Stats.HeartbeatsReceived++;
                        QueueControl(new HeartbeatAckChunk(heartbeat.Info));
                    }

                    break;
                case HeartbeatAckChunk heartbeatAck:
                    if (HasAssociation)
                    {
                        HandleHeartbeatAck(heartbeatAck);
                    }

                    break;
                case AbortChunk abort:
                    Terminate(SctpCloseReason.PeerAbort, DescribeCauses(abort.Causes), sendAbort: false);
                    return;
                case ShutdownChunk shutdown:
                    HandleShutdown(shutdown);
                    break;
                case ShutdownAckChunk:
                    HandleShutdownAck();
                    break;
                case ShutdownCompleteChunk:
                    if (State == SctpState.ShutdownAckSent)
                    {
                        Terminate(SctpCloseReason.Shutdown, null, sendAbort: false);
                        return;
                    }

                    break;
                case ErrorChunk errorChunk:
                    Stats.ErrorChunksReceived++;
                    _ = errorChunk;
                    break;
                case UnknownChunk unknown:
                    // Reports are capped so a huge unknown chunk cannot make us build an oversized ERROR chunk.
                    if (unknown.Report && HasAssociation && reportedBytes + unknown.PaddedLength <= MaxReportedBytes)
                    {
                        var tlv = new byte[unknown.PaddedLength];
                        unknown.WriteTo(tlv);
                        reportedBytes += unknown.PaddedLength;
                        (reported ??= []).Add(new SctpErrorCause((ushort)SctpErrorCauseCode.UnrecognizedChunkType, tlv.AsMemory(0, unknown.Length)));
                    }

                    if (unknown.StopProcessing)
                    {
                        i = chunks.Count;
                    }

                    break;
            }

            if (State == SctpState.Terminated)
            {
                return;
            }
        }

        if (reported is { Count: > 0 })
        {
            QueueControl(new ErrorChunk(reported));
        }

        if (dataSeen)
        {
            OnDataPacketProcessed();
        }
    }

    private bool HasAssociation => State is not (SctpState.Closed or SctpState.CookieWait or SctpState.Terminated);

    private bool IsTagAcceptable(uint tag, SctpChunk chunk) => chunk switch
    {
        // Validated against the tag inside the (authenticated) cookie instead.
        CookieEchoChunk => true,
        AbortChunk { TagReflected: true } or ShutdownCompleteChunk { TagReflected: true } => _peerTag != 0 && tag == _peerTag,
        _ => _localTag != 0 && tag == _localTag,
    };

    private static string DescribeCauses(IReadOnlyList<SctpErrorCause> causes) =>
        causes.Count == 0 ? "no cause" : string.Join(", ", causes.Select(c => "cause " + c.Code));

    private static IReadOnlyList<SctpParameter> LocalInitParameters() =>
    [
        ForwardTsnSupportedParameter.Instance,
        new SupportedExtensionsParameter([(byte)SctpChunkType.ReConfig, (byte)SctpChunkType.ForwardTsn]),
    ];

    private uint NewTag()
    {
        Span<byte> b = stackalloc byte[4];
        uint value;
        do
        {
            _random.NextBytes(b);
            value = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(b);
        }
        while (value == 0);
        return value;
    }

    private void HandleInit(InitChunk init)
    {
        if (State is not (SctpState.Closed or SctpState.CookieWait or SctpState.CookieEchoed))
        {
            // Peer restart (RFC 9260 §5.2.2) is not needed for WebRTC: one DTLS session carries one association.
            Stats.DroppedPackets++;
            return;
        }

        var parameters = new List<SctpParameter>();
        var reportedBytes = 0;
        bool forwardTsn = false, reconfig = false;
        foreach (var p in init.Parameters)
        {
            switch (p)
            {
                case ForwardTsnSupportedParameter:
                    forwardTsn = true;
                    continue;
                case SupportedExtensionsParameter ext:
                    forwardTsn |= ext.Contains(SctpChunkType.ForwardTsn);
                    reconfig |= ext.Contains(SctpChunkType.ReConfig);
                    continue;
                case UnknownParameter { TypeCode: 5 or 6 or 9 or 11 or 12 }:
                    // IPv4/IPv6 address, cookie preservative, host name, supported address types: defined by RFC 9260,
                    // meaningless over DTLS (no multihoming), so ignored rather than treated as "unknown, stop".
                    continue;
                case UnknownParameter unknown:
                    if (unknown.Report && reportedBytes + unknown.PaddedLength <= MaxReportedBytes)
                    {
                        var tlv = new byte[unknown.PaddedLength];
                        unknown.WriteTo(tlv, pad: true);
                        reportedBytes += unknown.PaddedLength;
                        parameters.Add(new UnrecognizedParameter(tlv.AsMemory(0, unknown.Length)));
                    }

                    if (unknown.StopProcessing)
                    {
                        break;
                    }

                    continue;
                default:
                    continue;
            }

            break;
        }

        // In COOKIE-WAIT/COOKIE-ECHOED (INIT collision, RFC 9260 §5.2.1) we keep our tag and initial TSN.
        var localTag = State == SctpState.Closed ? NewTag() : _localTag;
        var localTsn = State == SctpState.Closed ? NewTag() : _localInitialTsn;
        var cookie = new StateCookie(localTag, init.InitiateTag, localTsn, init.InitialTsn, init.AdvertisedReceiverWindowCredit, init.OutboundStreams, init.InboundStreams, forwardTsn, reconfig, (long)_now.TotalMilliseconds);
        parameters.Insert(0, new StateCookieParameter(cookie.Seal(_cookieKey)));
        parameters.AddRange(LocalInitParameters());
        var ack = new InitAckChunk(localTag, (uint)_options.ReceiveBufferSize, _options.OutboundStreams, _options.MaxInboundStreams, localTsn, parameters);
        SendControlPacket(init.InitiateTag, ack);
    }

    private void HandleInitAck(InitAckChunk ack)
    {
        if (State != SctpState.CookieWait)
        {
            return;
        }

        var cookie = ack.FindParameter<StateCookieParameter>();
        if (cookie is null)
        {
            Terminate(SctpCloseReason.ProtocolViolation, "INIT-ACK without state cookie", sendAbort: false);
            return;
        }

        var ext = ack.FindParameter<SupportedExtensionsParameter>();
        _peerSupportsForwardTsn = ack.FindParameter<ForwardTsnSupportedParameter>() != null || (ext?.Contains(SctpChunkType.ForwardTsn) ?? false);
        _peerSupportsReConfig = ext?.Contains(SctpChunkType.ReConfig) ?? false;
        _peerTag = ack.InitiateTag;
        ApplyPeerInit(ack.AdvertisedReceiverWindowCredit, ack.OutboundStreams, ack.InboundStreams, ack.InitialTsn);
        State = SctpState.CookieEchoed;
        var echo = new CookieEchoChunk(cookie.Cookie);
        StartT1(echo);
        SendControlPacket(_peerTag, echo);
    }

    private bool HandleCookieEcho(uint packetTag, CookieEchoChunk echo)
    {
        if (!StateCookie.TryOpen(_cookieKey, echo.Cookie.Span, out var cookie) || cookie.LocalTag != packetTag)
        {
            Stats.DroppedPackets++;
            return false;
        }

        var age = (long)_now.TotalMilliseconds - cookie.CreatedMilliseconds;
        if (age < 0 || age > _options.CookieLifetime.TotalMilliseconds)
        {
            Stats.DroppedPackets++;
            return false;
        }

        switch (State)
        {
            case SctpState.Closed:
                _localTag = cookie.LocalTag;
                _localInitialTsn = cookie.LocalInitialTsn;
                InitializeSendSide();
                break;
            case SctpState.CookieWait or SctpState.CookieEchoed when cookie.LocalTag == _localTag:
                StopT1();
                break;
            case SctpState.Established when cookie.LocalTag == _localTag && cookie.PeerTag == _peerTag:
                // Our COOKIE-ACK was lost; the peer retransmitted its COOKIE-ECHO.
                QueueControl(CookieAckChunk.Instance);
                return true;
            default:
                Stats.DroppedPackets++;
                return false;
        }

        _peerTag = cookie.PeerTag;
        _peerSupportsForwardTsn = cookie.PeerForwardTsn;
        _peerSupportsReConfig = cookie.PeerReConfig;
        ApplyPeerInit(cookie.PeerRwnd, cookie.PeerOutboundStreams, cookie.PeerInboundStreams, cookie.PeerInitialTsn);
        QueueControl(CookieAckChunk.Instance);
        Establish();
        return true;
    }

    private void HandleCookieAck()
    {
        if (State != SctpState.CookieEchoed)
        {
            return;
        }

        StopT1();
        Establish();
    }

    private void ApplyPeerInit(uint rwnd, ushort peerOutbound, ushort peerInbound, uint peerInitialTsn)
    {
        _peerRwnd = rwnd;
        _ssthresh = rwnd;
        _outboundStreams = Math.Min(_options.OutboundStreams, peerInbound);
        _inboundStreams = Math.Min(_options.MaxInboundStreams, peerOutbound);
        InitializeReceiveSide(peerInitialTsn);
    }

    private void Establish()
    {
        State = SctpState.Established;
        StartHeartbeatTimer();
        PushEvent(new SctpConnected());
    }

    private void StartT1(SctpChunk chunk)
    {
        _t1Chunk = chunk;
        _t1Count = 0;
        _t1Deadline = _now + _rto;
    }

    private void StopT1()
    {
        _t1Chunk = null;
        _t1Deadline = null;
    }

    private void OnT1Expired()
    {
        _t1Deadline = null;
        if (_t1Chunk is null || State is not (SctpState.CookieWait or SctpState.CookieEchoed))
        {
            return;
        }

        if (++_t1Count > _options.MaxInitRetransmits)
        {
            Terminate(SctpCloseReason.InitTimeout, "no answer to " + (State == SctpState.CookieWait ? "INIT" : "COOKIE-ECHO"), sendAbort: false);
            return;
        }

        _rto = Min(_rto * 2, _options.RtoMax);
        _t1Deadline = _now + _rto;
        SendControlPacket(_t1Chunk is InitChunk ? 0 : _peerTag, _t1Chunk);
    }

    private void HandleShutdown(ShutdownChunk shutdown)
    {
        if (State is not (SctpState.Established or SctpState.ShutdownPending or SctpState.ShutdownSent or SctpState.ShutdownReceived))
        {
            return;
        }

        ProcessCumulativeAck(shutdown.CumulativeTsnAck);
        if (State == SctpState.ShutdownSent)
        {
            // Simultaneous shutdown (RFC 9260 §9.2): answer with SHUTDOWN-ACK right away.
            State = SctpState.ShutdownAckSent;
            _t2Count = 0;
            _t2Deadline = _now + _rto;
            QueueControl(ShutdownAckChunk.Instance);
            return;
        }

        State = SctpState.ShutdownReceived;
    }

    private void HandleShutdownAck()
    {
        if (State is not (SctpState.ShutdownSent or SctpState.ShutdownAckSent))
        {
            return;
        }

        SendControlPacket(_peerTag, new ShutdownCompleteChunk(false));
        Terminate(SctpCloseReason.Shutdown, null, sendAbort: false);
    }

    /// <summary>Advances the shutdown handshake once nothing is left to send or acknowledge.</summary>
    private void ProgressShutdown()
    {
        if (_scheduler.HasPending || _outstandingCount > 0)
        {
            return;
        }

        if (State == SctpState.ShutdownPending)
        {
            State = SctpState.ShutdownSent;
            _t2Count = 0;
            _t2Deadline = _now + _rto;
            QueueControl(new ShutdownChunk(_cumTsn));
        }
        else if (State == SctpState.ShutdownReceived)
        {
            State = SctpState.ShutdownAckSent;
            _t2Count = 0;
            _t2Deadline = _now + _rto;
            QueueControl(ShutdownAckChunk.Instance);
        }
    }

    private void OnT2Expired()
    {
        _t2Deadline = null;
        if (State is not (SctpState.ShutdownSent or SctpState.ShutdownAckSent))
        {
            return;
        }

        if (++_t2Count > _options.MaxAssociationRetransmits)
        {
            Terminate(SctpCloseReason.RetransmissionLimit, "no answer to shutdown", sendAbort: true);
            return;
        }

        _rto = Min(_rto * 2, _options.RtoMax);
        _t2Deadline = _now + _rto;
        QueueControl(State == SctpState.ShutdownSent ? new ShutdownChunk(_cumTsn) : ShutdownAckChunk.Instance);
    }

    private void Terminate(SctpCloseReason reason, string? detail, bool sendAbort, SctpErrorCause? cause = null)
    {
        if (State == SctpState.Terminated)
        {
            return;
        }

        if (sendAbort && _peerTag != 0)
        {
            SendControlPacket(_peerTag, new AbortChunk(false, cause is null ? [] : [cause]));
        }

        State = SctpState.Terminated;
        _t1Deadline = _t2Deadline = _t3Deadline = _ackDeadline = _reconfigDeadline = _paceDeadline = _heartbeatDeadline = null;
        _scheduler.Clear();
        _controlChunks.Clear();
        _bufferedTotal = 0;
        _bufferedPerStream.Clear();
        _events.Enqueue(new SctpClosed(reason, detail));
    }

    private void PushEvent(SctpEvent ev)
    {
        if (_events.Count >= _options.MaxPendingEvents)
        {
            Terminate(SctpCloseReason.ResourceLimit, "event queue full: the application is not draining events", sendAbort: true, SctpErrorCause.FromText(SctpErrorCauseCode.OutOfResource, "receiver overloaded"));
            return;
        }

        _events.Enqueue(ev);
    }

    private void QueueControl(SctpChunk chunk) => _controlChunks.Add(chunk);

    /// <summary>Sends a packet immediately with a given tag (INIT tag 0, or handshake chunks before the tag is known).</summary>
    private void SendControlPacket(uint tag, SctpChunk chunk)
    {
        var packet = new SctpPacket(_options.LocalPort, _options.RemotePort, tag, [chunk]);
        EnqueuePacket(packet);
    }

    /// <summary>Time only moves forward: a stale <c>now</c> from the caller must not pull deadlines into the past.</summary>
    private void Tick(TimeSpan now)
    {
        if (now > _now)
        {
            _now = now;
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
