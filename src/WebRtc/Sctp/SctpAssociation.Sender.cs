namespace Enslavism.WebRtc.Sctp;

/// <summary>Send side: queueing, fragmentation, bundling, retransmission, congestion control (RFC 9260 §6–7), PR-SCTP.</summary>
public sealed partial class SctpAssociation
{
    private readonly OutboundScheduler _scheduler = new();
    private readonly Dictionary<ushort, ushort> _outgoingSsn = [];
    private readonly Dictionary<ushort, long> _bufferedPerStream = [];
    private readonly List<InflightChunk> _outstanding = [];
    private readonly List<SctpChunk> _packetChunks = [];
    private int _outstandingHead;
    private long _bufferedTotal;

    private uint _nextTsn;
    private uint _peerCumAck;
    private uint _advancedPeerAckPoint;
    private bool _forwardTsnNeeded;

    private long _cwnd;
    private long _ssthresh;
    private long _partialBytesAcked;
    private long _flightSize;
    private uint _peerRwnd;
    private bool _inFastRecovery;
    private uint _fastRecoveryExit;
    private bool _fastRetransmitPending;

    // Set whenever a chunk is marked for retransmission; cleared by a scan that finds none, so idle polls stay O(1).
    private bool _retransmitMarked;

    private TimeSpan _rto;
    private TimeSpan? _srtt;
    private TimeSpan _rttvar;
    private uint? _rttTsn;
    private TimeSpan _rttSentAt;
    private TimeSpan? _t3Deadline;
    private int _errorCount;

    // Max.Burst: bytes of new DATA still allowed in the current send opportunity (refilled per data-acking SACK, per
    // pacing tick and when the flight drained), and the tick that resumes a burst-limited window when no SACK comes.
    private long _burstBytes = long.MaxValue;
    private TimeSpan? _paceDeadline;
    private bool _burstLimited;

    // Minimum RTT over the current and the previous window, for the delay-based window cap (MaxQueuedBytes).
    private static readonly TimeSpan MinRttWindow = TimeSpan.FromSeconds(10);
    private TimeSpan? _minRttCurrent;
    private TimeSpan? _minRttPrevious;
    private TimeSpan _minRttWindowStart;
    private TimeSpan _lastQueueTrimAt;
    private TimeSpan? _roundMinRtt;
    private TimeSpan? _lastRoundMinRtt;
    private TimeSpan _roundStart;

    /// <summary>Congestion window in bytes (RFC 9260 §7.2).</summary>
    public long CongestionWindow => _cwnd;

    public long SlowStartThreshold => _ssthresh;

    /// <summary>
    /// Bytes in flight: sent DATA chunks (header + padded payload, so tiny messages cannot flood a byte-based cwnd)
    /// that are neither acknowledged nor abandoned nor waiting for retransmission.
    /// </summary>
    public long FlightSize => _flightSize;

    /// <summary>Peer receive window as last computed from its SACK minus data sent since.</summary>
    public uint PeerReceiveWindow => _peerRwnd;

    public TimeSpan RetransmissionTimeout => _rto;

    /// <summary>Smoothed RTT (RFC 9260 §6.3.1); null before the first measurement.</summary>
    public TimeSpan? SmoothedRtt => _srtt;

    /// <summary>Smallest RTT measured within the last 10–20 s; null before the first measurement.</summary>
    public TimeSpan? MinRtt => _minRttPrevious is { } p && (_minRttCurrent is not { } c || p < c) ? p : _minRttCurrent;

    /// <summary>Bytes queued by the application and not yet transmitted once, all streams.</summary>
    public long BufferedAmount => _bufferedTotal;

    private int Mtu => _options.MaxPacketSize;

    private long InitialCwnd => Math.Min(4 * Mtu, Math.Max(2 * Mtu, 4380));

    private int _outstandingCount => _outstanding.Count - _outstandingHead;

    public long GetBufferedAmount(ushort streamId) => _bufferedPerStream.GetValueOrDefault(streamId);

    /// <summary>
    /// Queues one user message. Unordered messages skip SSN ordering; <paramref name="reliability"/> is honoured only if
    /// the peer supports PR-SCTP (otherwise the message is sent reliably).
    /// </summary>
    public SctpSendResult Send(TimeSpan now, ushort streamId, uint ppid, ReadOnlySpan<byte> payload, bool unordered = false, SctpReliability reliability = default) =>
        SendCore(now, streamId, ppid, payload, null, unordered, reliability);

    /// <summary>
    /// <see cref="Send"/> that takes ownership of <paramref name="payload"/> instead of copying it (the layers above
    /// already hold a private copy): the caller must never touch the array again once this returns Queued.
    /// </summary>
    internal SctpSendResult SendOwned(TimeSpan now, ushort streamId, uint ppid, byte[] payload, bool unordered = false, SctpReliability reliability = default) =>
        SendCore(now, streamId, ppid, payload, payload, unordered, reliability);

    private SctpSendResult SendCore(TimeSpan now, ushort streamId, uint ppid, ReadOnlySpan<byte> payload, byte[]? owned, bool unordered, SctpReliability reliability)
    {
        Tick(now);
        if (State != SctpState.Established)
        {
            return SctpSendResult.NotConnected;
        }

        if (payload.IsEmpty)
        {
            return SctpSendResult.EmptyMessage;
        }

        if (payload.Length > _options.MaxMessageSize)
        {
            return SctpSendResult.MessageTooLarge;
        }

        if (streamId >= _outboundStreams)
        {
            return SctpSendResult.InvalidStream;
        }

        if (_streamResets.ContainsKey(streamId))
        {
            return SctpSendResult.StreamResetting;
        }

        if (_bufferedTotal + payload.Length > _options.MaxBufferedAmount)
        {
            return SctpSendResult.BufferFull;
        }

        if (!_peerSupportsForwardTsn)
        {
            reliability = SctpReliability.Reliable;
        }

        _scheduler.Enqueue(new OutboundMessage(streamId, ppid, owned ?? payload.ToArray(), unordered, reliability, 0, now));
        AddBuffered(streamId, payload.Length);
        return SctpSendResult.Queued;
    }

    private void InitializeSendSide()
    {
        _nextTsn = _localInitialTsn;
        _peerCumAck = _localInitialTsn - 1;
        _advancedPeerAckPoint = _peerCumAck;
        _nextReconfigRequestSeq = _localInitialTsn;
    }

    private void AddBuffered(ushort streamId, long delta)
    {
        _bufferedTotal += delta;
        var value = _bufferedPerStream.GetValueOrDefault(streamId) + delta;
        if (value == 0)
        {
            _bufferedPerStream.Remove(streamId);
        }
        else
        {
            _bufferedPerStream[streamId] = value;
        }
    }

    private InflightChunk OutstandingAt(int index) => _outstanding[_outstandingHead + index];

    private void PopOutstanding()
    {
        _outstanding[_outstandingHead] = null!;
        _outstandingHead++;
        if (_outstandingHead == _outstanding.Count)
        {
            _outstanding.Clear();
            _outstandingHead = 0;
        }
        else if (_outstandingHead > 256 && _outstandingHead * 2 > _outstanding.Count)
        {
            _outstanding.RemoveRange(0, _outstandingHead);
            _outstandingHead = 0;
        }
    }

    private void SetInFlight(InflightChunk chunk, bool inFlight)
    {
        if (chunk.InFlight == inFlight)
        {
            return;
        }

        chunk.InFlight = inFlight;
        _flightSize += inFlight ? chunk.WireSize : -chunk.WireSize;
    }

    /// <summary>Builds every packet that may be sent now: control chunks, SACK, FORWARD-TSN, RE-CONFIG, then DATA.</summary>
    private void Flush()
    {
        if (State == SctpState.Terminated || _peerTag == 0 || !HasAssociation)
        {
            return;
        }

        if (_controlChunks.Count == 0 && !_sackNow && !_forwardTsnNeeded && !_retransmitMarked && !_scheduler.HasPending
            && _resetQueue.Count == 0 && State is SctpState.Established)
        {
            return;
        }

        ProgressShutdown();
        MaybeStartReconfigRequest();
        var data = new List<SctpChunk>();
        if (State is SctpState.Established or SctpState.ShutdownPending or SctpState.ShutdownReceived)
        {
            CollectRetransmissions(data);
            CollectNewData(data);
        }

        if (data.Count > 0 && _ackDeadline != null)
        {
            _sackNow = true;
        }

        var chunks = new List<SctpChunk>(_controlChunks.Count + data.Count + 2);
        chunks.AddRange(_controlChunks);
        _controlChunks.Clear();
        if (_sackNow)
        {
            chunks.Add(BuildSack());
        }

        if (_forwardTsnNeeded)
        {
            _forwardTsnNeeded = false;
            if (_peerSupportsForwardTsn && SerialNumber.Gt(_advancedPeerAckPoint, _peerCumAck))
            {
                chunks.Add(BuildForwardTsn());
                Stats.ForwardTsnSent++;
            }
        }

        chunks.AddRange(data);
        if (data.Count > 0)
        {
            _lastDataSentAt = _now;
            _t3Deadline ??= _now + _rto;
        }

        Packetize(chunks);
    }

    private void Packetize(List<SctpChunk> chunks)
    {
        // One list for every packet: EmitPacket encodes at once and keeps no reference to it.
        var current = _packetChunks;
        current.Clear();
        var size = SctpPacket.CommonHeaderLength;
        foreach (var chunk in chunks)
        {
            if (current.Count > 0 && size + chunk.PaddedLength > Mtu)
            {
                EmitPacket(current);
                current.Clear();
                size = SctpPacket.CommonHeaderLength;
            }

            current.Add(chunk);
            size += chunk.PaddedLength;
        }

        if (current.Count > 0)
        {
            EmitPacket(current);
            current.Clear();
        }
    }

    private void EmitPacket(List<SctpChunk> chunks)
    {
        EnqueuePacket(new SctpPacket(_options.LocalPort, _options.RemotePort, _peerTag, chunks));
    }

    /// <summary>True if the message's PR-SCTP policy says it must not be (re)transmitted again.</summary>
    private bool ShouldAbandon(OutboundMessage message, int transmitCount) => message.Reliability.Kind switch
    {
        SctpReliabilityKind.MaxRetransmits => transmitCount > message.Reliability.Value,
        SctpReliabilityKind.MaxLifetime => message.IsExpired(_now),
        _ => false,
    };

    private void CollectRetransmissions(List<SctpChunk> data)
    {
        if (_outstandingCount == 0 || !_retransmitMarked)
        {
            _retransmitMarked = false;
            return;
        }

        var stillMarked = false;

        // A fast retransmission goes out at once, one packet's worth, regardless of cwnd (RFC 9260 §7.2.4).
        var budget = _fastRetransmitPending ? Mtu - SctpPacket.CommonHeaderLength : 0;
        _fastRetransmitPending = false;
        var abandonedAny = false;
        for (var i = 0; i < _outstandingCount; i++)
        {
            var c = OutstandingAt(i);
            if (!c.NeedsRetransmit || c.Abandoned)
            {
                continue;
            }

            if (ShouldAbandon(c.Message, c.TransmitCount))
            {
                AbandonMessage(c.Message);
                abandonedAny = true;
                continue;
            }

            var size = c.WireSize;
            if (budget >= size)
            {
                budget -= size;
            }
            else if (_flightSize >= _cwnd)
            {
                stillMarked = true;
                break;
            }

            c.NeedsRetransmit = false;
            c.TransmitCount++;
            c.LastSentAt = _now;
            SetInFlight(c, true);
            data.Add(c.ToChunk());
            Stats.DataChunksRetransmitted++;
            Stats.DataBytesRetransmitted += c.Data.Length;
        }

        _retransmitMarked = stillMarked;
        if (abandonedAny)
        {
            UpdateAdvancedPeerAckPoint();
        }
    }

    private void CollectNewData(List<SctpChunk> data)
    {
        var maxPayload = _options.MaxDataPayloadPerChunk;
        var packetPayload = Mtu - SctpPacket.CommonHeaderLength;
        var room = InitialPacketRoom(data, packetPayload);
        if (_flightSize == 0)
        {
            // Nothing in flight means nothing will clock the sender: this send opportunity gets a fresh burst.
            RefillBurst();
        }

        while (_scheduler.Current() is { } message)
        {
            if (message.Offset == 0 && message.IsExpired(_now))
            {
                // Expired before its first byte left: drop it without consuming a TSN or SSN.
                _scheduler.DropCurrent();
                AddBuffered(message.StreamId, -message.Payload.Length);
                message.Abandoned = true;
                Stats.MessagesAbandoned++;
                continue;
            }

            var length = Math.Min(message.Remaining, maxPayload);
            if (message.Payload.Length > maxPayload && length + DataChunk.HeaderLength > room && room < packetPayload
                && room - DataChunk.HeaderLength >= MinFillFragment)
            {
                // A fragmented message is cut to fill the packet its first chunk lands in (after the previous
                // message's tail, or control chunks), so 16 KiB costs 15 packets rather than 15 full ones plus one
                // carrying a 4-byte tail. Messages that fit one chunk are never split.
                length = (room - DataChunk.HeaderLength) & ~3;
            }

            if (_flightSize >= _cwnd || (_peerRwnd < length && _flightSize > 0))
            {
                break;
            }

            if (_burstBytes < SctpWire.Pad4(DataChunk.HeaderLength + length))
            {
                // The window has room but this opportunity's burst is spent: continue at the next SACK or pacing tick.
                Stats.BurstLimitedSends++;
                _burstLimited = true;
                _paceDeadline ??= _now + PacingInterval();
                break;
            }

            if (message.Offset == 0 && !message.Unordered)
            {
                // SSNs are assigned at first transmission so a message abandoned while queued leaves no SSN hole.
                var ssn = _outgoingSsn.GetValueOrDefault(message.StreamId);
                message.Ssn = ssn;
                _outgoingSsn[message.StreamId] = (ushort)(ssn + 1);
            }

            var beginning = message.Offset == 0;
            var chunk = new InflightChunk(_nextTsn++, message, message.Payload.AsMemory(message.Offset, length), beginning, message.Offset + length == message.Payload.Length)
            {
                TransmitCount = 1,
                LastSentAt = _now,
            };
            message.Offset += length;
            message.Fragments.Add(chunk);
            AddBuffered(message.StreamId, -length);
            _outstanding.Add(chunk);
            SetInFlight(chunk, true);
            _burstBytes -= chunk.WireSize;
            _peerRwnd = _peerRwnd > chunk.WireSize ? _peerRwnd - (uint)chunk.WireSize : 0;
            if (_rttTsn is null)
            {
                _rttTsn = chunk.Tsn;
                _rttSentAt = _now;
            }

            data.Add(chunk.ToChunk());
            Stats.DataChunksSent++;
            room = PlaceInPacket(room, packetPayload, chunk.WireSize);
        }
    }

    /// <summary>Smallest payload worth a chunk of its own when filling the rest of a packet.</summary>
    private const int MinFillFragment = 64;

    // Chunk header + cumulative TSN ack, a_rwnd and the two counts: the usual SACK of an in-order bulk flow.
    private const int SackWithoutGapsLength = 16;

    /// <summary>
    /// Room left in the packet <see cref="Packetize"/> will put the next chunk in, given the chunks already bound for
    /// this flush (control chunks, an estimated SACK, retransmissions). An estimate only: when it is off, a chunk
    /// simply starts the next packet, as it would without filling.
    /// </summary>
    private int InitialPacketRoom(List<SctpChunk> data, int packetPayload)
    {
        var room = packetPayload;
        foreach (var chunk in _controlChunks)
        {
            room = PlaceInPacket(room, packetPayload, chunk.PaddedLength);
        }

        if (_sackNow || _ackDeadline != null)
        {
            room = PlaceInPacket(room, packetPayload, SackWithoutGapsLength);
        }

        foreach (var chunk in data)
        {
            room = PlaceInPacket(room, packetPayload, chunk.PaddedLength);
        }

        return room;
    }

    private static int PlaceInPacket(int room, int packetPayload, int paddedLength) =>
        paddedLength <= room ? room - paddedLength : packetPayload - paddedLength;

    private void RefillBurst(long bytesAcked = 0)
    {
        if (_options.MaxBurst == 0)
        {
            _burstBytes = long.MaxValue;
            return;
        }

        // Max.Burst packets, or what this SACK acknowledged plus one packet of growth when a stretch SACK (a peer that
        // acknowledges every 4th packet) acked more: otherwise the flight could never follow cwnd growth between SACKs.
        // Never more than twice Max.Burst, so a SACK that acks a whole window after recovery still cannot burst it out.
        var packet = (long)(Mtu - SctpPacket.CommonHeaderLength);
        var burst = _options.MaxBurst * packet;
        _burstBytes = Math.Clamp(bytesAcked + packet, burst, 2 * burst);
    }

    /// <summary>Time for one burst at the window's rate (cwnd per SRTT), so a burst-limited window still drains within an RTT.</summary>
    private TimeSpan PacingInterval()
    {
        var srtt = _srtt ?? _options.RtoMin;
        var burst = (double)_options.MaxBurst * (Mtu - SctpPacket.CommonHeaderLength);
        var interval = srtt * Math.Min(1.0, burst / Math.Max(_cwnd, 1));
        // A zero interval would spin the host; 100 µs is far below any real pacing need and below timer resolutions.
        return Max(interval, TimeSpan.FromTicks(1000));
    }

    private void OnPaceTimer()
    {
        _paceDeadline = null;
        RefillBurst();
    }

    private void AbandonMessage(OutboundMessage message)
    {
        if (message.Abandoned)
        {
            return;
        }

        message.Abandoned = true;
        Stats.MessagesAbandoned++;
        foreach (var fragment in message.Fragments)
        {
            fragment.Abandoned = true;
            fragment.NeedsRetransmit = false;
            SetInFlight(fragment, false);
        }

        if (message.Remaining > 0)
        {
            AddBuffered(message.StreamId, -message.Remaining);
            message.Offset = message.Payload.Length;
        }
    }

    /// <summary>
    /// RFC 3758 §3.5 C1–C3: move the Advanced.Peer.Ack.Point over abandoned chunks. It stops before a message of a new
    /// ordered stream once the FORWARD-TSN's (stream, SSN) list would no longer fit one packet; the rest follows later.
    /// </summary>
    private void UpdateAdvancedPeerAckPoint()
    {
        _advancedPeerAckPoint = _peerCumAck;
        if (_outstandingCount == 0 || !OutstandingAt(0).Abandoned)
        {
            return;
        }

        var maxStreams = (Mtu - SctpPacket.CommonHeaderLength - 8) / 4;
        var streams = new HashSet<ushort>();
        for (var i = 0; i < _outstandingCount; i++)
        {
            var c = OutstandingAt(i);
            if (!c.Abandoned)
            {
                break;
            }

            if (!c.Message.Unordered && !streams.Contains(c.Message.StreamId))
            {
                if (streams.Count == maxStreams)
                {
                    break;
                }

                streams.Add(c.Message.StreamId);
            }

            _advancedPeerAckPoint = c.Tsn;
        }

        if (SerialNumber.Gt(_advancedPeerAckPoint, _peerCumAck))
        {
            _forwardTsnNeeded = true;
        }
    }

    private ForwardTsnChunk BuildForwardTsn()
    {
        var streams = new Dictionary<ushort, ushort>();
        for (var i = 0; i < _outstandingCount; i++)
        {
            var c = OutstandingAt(i);
            if (SerialNumber.Gt(c.Tsn, _advancedPeerAckPoint))
            {
                break;
            }

            if (!c.Message.Unordered)
            {
                if (!streams.TryGetValue(c.Message.StreamId, out var ssn) || SerialNumber.Lt16(ssn, c.Message.Ssn))
                {
                    streams[c.Message.StreamId] = c.Message.Ssn;
                }
            }
        }

        return new ForwardTsnChunk(_advancedPeerAckPoint, streams.Select(kv => new ForwardTsnStream(kv.Key, kv.Value)).ToArray());
    }

    private void HandleSack(SackChunk sack)
    {
        Stats.SacksReceived++;
        var cum = sack.CumulativeTsnAck;
        // Stale (reordered) SACKs and SACKs acking TSNs we never sent are ignored (RFC 9260 §6.2.1).
        if (SerialNumber.Lt(cum, _peerCumAck) || SerialNumber.Gte(cum, _nextTsn))
        {
            return;
        }

        ProcessSack(cum, sack.AdvertisedReceiverWindowCredit, sack.GapAckBlocks);
    }

    private void ProcessCumulativeAck(uint cum)
    {
        if (SerialNumber.Lt(cum, _peerCumAck) || SerialNumber.Gte(cum, _nextTsn))
        {
            return;
        }

        ProcessSack(cum, _peerRwnd + (uint)_flightSize, []);
    }

    private void ProcessSack(uint cum, uint advertisedRwnd, IReadOnlyList<SackGapBlock> gaps)
    {
        var flightBefore = _flightSize;
        long bytesAcked = 0;
        uint? highestNewlyAcked = null;
        TimeSpan? newestSentAt = null;
        var cumAdvanced = SerialNumber.Gt(cum, _peerCumAck);

        while (_outstandingCount > 0 && SerialNumber.Lte(OutstandingAt(0).Tsn, cum))
        {
            var c = OutstandingAt(0);
            if (!c.GapAcked && !c.Abandoned)
            {
                bytesAcked += c.WireSize;
                highestNewlyAcked = c.Tsn;
                newestSentAt = c.TransmitCount == 1 ? c.LastSentAt : null;
            }

            if (_rttTsn == c.Tsn)
            {
                if (c.TransmitCount == 1)
                {
                    UpdateRto(_now - _rttSentAt);
                }

                _rttTsn = null;
            }

            SetInFlight(c, false);
            PopOutstanding();
        }

        _peerCumAck = cum;
        if (_outstandingCount > 0)
        {
            var head = OutstandingAt(0).Tsn;
            var count = (uint)_outstandingCount;
            foreach (var block in gaps)
            {
                var first = cum + block.Start;
                var last = cum + block.End;
                var from = SerialNumber.Lt(first, head) ? head : first;
                for (var tsn = from; SerialNumber.Lte(tsn, last) && tsn - head < count; tsn++)
                {
                    var c = OutstandingAt((int)(tsn - head));
                    if (c.GapAcked)
                    {
                        continue;
                    }

                    c.GapAcked = true;
                    c.NeedsRetransmit = false;
                    SetInFlight(c, false);
                    if (!c.Abandoned)
                    {
                        bytesAcked += c.WireSize;
                        if (highestNewlyAcked is null || SerialNumber.Gt(c.Tsn, highestNewlyAcked.Value))
                        {
                            highestNewlyAcked = c.Tsn;
                            newestSentAt = c.TransmitCount == 1 ? c.LastSentAt : null;
                        }
                    }

                    if (_rttTsn == c.Tsn)
                    {
                        if (c.TransmitCount == 1)
                        {
                            UpdateRto(_now - _rttSentAt);
                        }

                        _rttTsn = null;
                    }
                }
            }
        }

        if (_inFastRecovery && SerialNumber.Lte(_fastRecoveryExit, cum))
        {
            _inFastRecovery = false;
        }

        if (highestNewlyAcked is { } htna)
        {
            MarkMissIndications(htna);
        }

        if (newestSentAt is { } sentAt)
        {
            RecordDelaySample(_now - sentAt);
        }

        if (bytesAcked > 0)
        {
            _errorCount = 0;
            // Ack clocking: each SACK that acknowledges data opens one new burst (RFC 9260 Max.Burst).
            RefillBurst(bytesAcked);
        }

        AdjustCwndOnAck(cumAdvanced, bytesAcked, flightBefore);
        _peerRwnd = advertisedRwnd > _flightSize ? advertisedRwnd - (uint)_flightSize : 0;

        if (_outstandingCount == 0)
        {
            _t3Deadline = null;
            _partialBytesAcked = 0;
        }
        else if (cumAdvanced)
        {
            _t3Deadline = _now + _rto;
        }

        UpdateAdvancedPeerAckPoint();
    }

    /// <summary>RFC 9260 §7.2.4: three miss indications trigger fast retransmit and halve cwnd once per recovery.</summary>
    private void MarkMissIndications(uint highestNewlyAcked)
    {
        var enterRecovery = false;
        for (var i = 0; i < _outstandingCount; i++)
        {
            var c = OutstandingAt(i);
            if (SerialNumber.Gte(c.Tsn, highestNewlyAcked))
            {
                break;
            }

            if (c.GapAcked || c.Abandoned || c.NeedsRetransmit || c.FastRetransmitted)
            {
                continue;
            }

            if (++c.MissIndications >= 3)
            {
                c.MissIndications = 0;
                c.FastRetransmitted = true;
                c.NeedsRetransmit = true;
                _retransmitMarked = true;
                SetInFlight(c, false);
                if (_rttTsn == c.Tsn)
                {
                    _rttTsn = null;
                }

                _fastRetransmitPending = true;
                enterRecovery = true;
                Stats.FastRetransmits++;
            }
        }

        if (enterRecovery && !_inFastRecovery)
        {
            _inFastRecovery = true;
            _fastRecoveryExit = _nextTsn - 1;
            _ssthresh = Math.Max(_cwnd / 2, 4L * Mtu);
            _cwnd = _ssthresh;
            _partialBytesAcked = 0;
        }
    }

    /// <summary>Slow start and congestion avoidance, RFC 9260 §7.2.1–7.2.2.</summary>
    private void AdjustCwndOnAck(bool cumAdvanced, long bytesAcked, long flightBefore)
    {
        var burstLimited = _burstLimited;
        _burstLimited = false;
        if (!cumAdvanced || bytesAcked == 0 || _inFastRecovery)
        {
            return;
        }

        if (PathQueueTooLong(flightBefore))
        {
            return;
        }

        // Only a fully used window may grow (RFC 9260 §7.2.1). Held back by Max.Burst counts as fully used: the sender
        // had data and the window had room, so the window is not what limited it.
        var utilized = flightBefore >= _cwnd || burstLimited;
        if (_cwnd <= _ssthresh)
        {
            // By at most one MTU per SACK.
            if (utilized)
            {
                _cwnd += Math.Min(bytesAcked, Mtu);
            }

            return;
        }

        _partialBytesAcked += bytesAcked;
        if (_partialBytesAcked >= _cwnd && utilized)
        {
            _partialBytesAcked -= _cwnd;
            _cwnd += Mtu;
        }
    }

    /// <summary>
    /// Delay-based cap (<see cref="SctpOptions.MaxQueuedBytes"/>): true when the window must not grow because the last
    /// round's smallest RTT sample (not SRTT: its 1/8 smoothing lags slow start by several rounds) says more than the
    /// limit is queued.
    /// Slow start ends there (ssthresh = cwnd); past twice the limit the window also shrinks by one MTU per RTT, never
    /// below 4 MTU, so a queue built before the RTT reacted drains again.
    /// </summary>
    private bool PathQueueTooLong(long flightBefore)
    {
        var limit = _options.MaxQueuedBytes;
        if (limit == 0 || _lastRoundMinRtt is not { } rtt || MinRtt is not { } minRtt || rtt <= minRtt)
        {
            return false;
        }

        var inFlight = Math.Min(_cwnd, flightBefore);
        var queued = inFlight * (rtt - minRtt).Ticks / rtt.Ticks;
        if (queued <= limit)
        {
            return false;
        }

        Stats.DelayLimitedAcks++;
        if (_cwnd <= _ssthresh)
        {
            _ssthresh = Math.Max(_cwnd - 1, 4L * Mtu);
        }

        if (queued > 2L * limit && _cwnd > 4L * Mtu && _now - _lastQueueTrimAt >= rtt)
        {
            _lastQueueTrimAt = _now;
            _cwnd = Math.Max(_cwnd - Mtu, 4L * Mtu);
            _partialBytesAcked = 0;
        }

        return true;
    }

    /// <summary>
    /// One delay sample per SACK (the newest chunk it newly acknowledges, if sent once). The queue estimate uses the
    /// smallest sample of the last complete round (about one SRTT): a sample inflated by the peer's delayed SACK is
    /// filtered out by the undelayed ones of the same round, and the estimate still follows the queue within a round.
    /// </summary>
    private void RecordDelaySample(TimeSpan rtt)
    {
        if (rtt < TimeSpan.Zero)
        {
            return;
        }

        RecordMinRtt(rtt);
        var round = Max(_srtt ?? rtt, TimeSpan.FromTicks(1000));
        if (_now - _roundStart >= round)
        {
            _lastRoundMinRtt = _roundMinRtt ?? rtt;
            _roundMinRtt = null;
            _roundStart = _now;
        }

        if (_roundMinRtt is not { } current || rtt < current)
        {
            _roundMinRtt = rtt;
        }
    }

    private void RecordMinRtt(TimeSpan rtt)
    {
        if (_now - _minRttWindowStart >= MinRttWindow)
        {
            _minRttPrevious = _minRttCurrent;
            _minRttCurrent = null;
            _minRttWindowStart = _now;
        }

        if (_minRttCurrent is not { } current || rtt < current)
        {
            _minRttCurrent = rtt;
        }
    }

    /// <summary>RTO computation, RFC 9260 §6.3.1 (alpha 1/8, beta 1/4), clamped to [RTO.min, RTO.max].</summary>
    private void UpdateRto(TimeSpan rtt)
    {
        if (rtt < TimeSpan.Zero)
        {
            return;
        }

        RecordMinRtt(rtt);

        if (_srtt is not { } srtt)
        {
            _srtt = rtt;
            _rttvar = rtt / 2;
        }
        else
        {
            _rttvar = (_rttvar * 0.75) + ((srtt - rtt).Duration() * 0.25);
            _srtt = (srtt * 0.875) + (rtt * 0.125);
        }

        var rto = _srtt.Value + (_rttvar * 4);
        _rto = Min(Max(rto, _options.RtoMin), _options.RtoMax);
    }

    /// <summary>T3-rtx expiry, RFC 9260 §6.3.3 and §7.2.3.</summary>
    private void OnT3Expired()
    {
        _t3Deadline = null;
        if (_outstandingCount == 0)
        {
            return;
        }

        Stats.T3Expirations++;
        if (++_errorCount > _options.MaxAssociationRetransmits)
        {
            Terminate(SctpCloseReason.RetransmissionLimit, "peer stopped acknowledging data", sendAbort: true);
            return;
        }

        _ssthresh = Math.Max(_cwnd / 2, 4L * Mtu);
        _cwnd = Mtu;
        _partialBytesAcked = 0;
        _inFastRecovery = false;
        _rto = Min(_rto * 2, _options.RtoMax);
        _rttTsn = null;
        RefillBurst();
        for (var i = 0; i < _outstandingCount; i++)
        {
            var c = OutstandingAt(i);
            if (c.GapAcked || c.Abandoned)
            {
                continue;
            }

            if (ShouldAbandon(c.Message, c.TransmitCount))
            {
                AbandonMessage(c.Message);
                continue;
            }

            c.NeedsRetransmit = true;
            _retransmitMarked = true;
            SetInFlight(c, false);
        }

        UpdateAdvancedPeerAckPoint();
        // Keep a timer running even if everything was abandoned, so a lost FORWARD-TSN is repeated.
        _forwardTsnNeeded |= SerialNumber.Gt(_advancedPeerAckPoint, _peerCumAck);
        _t3Deadline = _now + _rto;
    }
}
