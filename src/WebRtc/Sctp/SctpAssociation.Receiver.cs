using System.Runtime.InteropServices;

namespace Enslavism.WebRtc.Sctp;

/// <summary>Receive side: TSN map, SACK generation, reassembly and ordering, FORWARD-TSN (RFC 9260 §6.2, §6.5, §6.9; RFC 3758 §3.6).</summary>
public sealed partial class SctpAssociation
{
    /// <summary>Gap block offsets are 16-bit, so nothing further ahead of the cumulative TSN can be acknowledged.</summary>
    private const uint MaxTsnAhead = 65535;

    private readonly SortedSet<uint> _receivedAbove = new(SerialNumber.TsnComparer.Instance);
    private readonly List<uint> _duplicateTsns = [];
    private readonly Dictionary<ushort, InboundStream> _inbound = [];
    private readonly Dictionary<uint, DataChunk> _unorderedFragments = [];
    private uint _cumTsn;
    private long _receiveBuffered;
    private int _packetsSinceAck;
    private bool _sackNow;
    private TimeSpan? _ackDeadline;

    /// <summary>Bytes held for reassembly or ordering, each chunk counted with its 16-byte header so that floods of tiny chunks are bounded too.</summary>
    public long ReceiveBuffered => _receiveBuffered;

    private void InitializeReceiveSide(uint peerInitialTsn)
    {
        _cumTsn = peerInitialTsn - 1;
        _peerNextRequestSeq = peerInitialTsn;
    }

    private void HandleData(DataChunk chunk)
    {
        Stats.DataChunksReceived++;
        var tsn = chunk.Tsn;
        if (SerialNumber.Lte(tsn, _cumTsn) || _receivedAbove.Contains(tsn))
        {
            Stats.DuplicateTsnsReceived++;
            if (_duplicateTsns.Count < _options.MaxDuplicateTsnsPerSack)
            {
                _duplicateTsns.Add(tsn);
            }

            _sackNow = true;
            return;
        }

        if (tsn - _cumTsn > MaxTsnAhead)
        {
            Stats.DataChunksDroppedNoBuffer++;
            return;
        }

        // The next in-sequence TSN is always accepted so a full buffer cannot deadlock reassembly (the data above the
        // cumulative TSN stays bounded by the buffer, the straddling message by MaxMessageSize).
        // A well-behaved peer never needs more than buffer + one max-size message (the one straddling the cumulative
        // TSN); past that hard cap even the in-sequence TSN is refused, e.g. when a peer skips SSNs on purpose.
        var cost = InboundStream.Cost(chunk);
        var soft = _receiveBuffered + cost > _options.ReceiveBufferSize;
        var hard = _receiveBuffered + cost > (long)_options.ReceiveBufferSize + _options.MaxMessageSize + (_options.MaxMessageSize / 4);
        if ((soft && tsn != _cumTsn + 1) || hard)
        {
            Stats.DataChunksDroppedNoBuffer++;
            _sackNow = true;
            return;
        }

        if (tsn != _cumTsn + 1)
        {
            Stats.DataChunksReceivedOutOfOrder++;
            _sackNow = true;
        }

        _receivedAbove.Add(tsn);
        AdvanceCumulativeTsn();
        if (_receivedAbove.Count > 0 || chunk.Immediate)
        {
            _sackNow = true;
        }

        if (chunk.StreamId >= _inboundStreams)
        {
            // Acknowledged (it was received) but not delivered: RFC 9260 §6.5 Invalid Stream Identifier.
            QueueControl(new ErrorChunk([new SctpErrorCause((ushort)SctpErrorCauseCode.InvalidStreamIdentifier, new byte[] { (byte)(chunk.StreamId >> 8), (byte)chunk.StreamId, 0, 0 })]));
            return;
        }

        if (chunk.Unordered)
        {
            ReceiveUnordered(chunk);
        }
        else
        {
            ReceiveOrdered(chunk);
        }

        CheckDeferredPeerReset();
    }

    private void AdvanceCumulativeTsn()
    {
        while (_receivedAbove.Count > 0 && _receivedAbove.Min == _cumTsn + 1)
        {
            _cumTsn++;
            _receivedAbove.Remove(_cumTsn);
        }
    }

    private void ReceiveUnordered(DataChunk chunk)
    {
        if (chunk.Beginning && chunk.Ending)
        {
            Deliver(chunk.StreamId, chunk.Ppid, WholeMessage(chunk), unordered: true);
            return;
        }

        _unorderedFragments[chunk.Tsn] = chunk;
        _receiveBuffered += InboundStream.Cost(chunk);

        var start = chunk;
        while (!start.Beginning)
        {
            if (!_unorderedFragments.TryGetValue(start.Tsn - 1, out var previous) || previous.StreamId != chunk.StreamId || previous.Ending)
            {
                return;
            }

            start = previous;
        }

        var end = chunk;
        var total = 0L;
        while (!end.Ending)
        {
            if (!_unorderedFragments.TryGetValue(end.Tsn + 1, out var next) || next.StreamId != chunk.StreamId || next.Beginning)
            {
                return;
            }

            end = next;
        }

        for (var tsn = start.Tsn; ; tsn++)
        {
            total += _unorderedFragments[tsn].UserData.Length;
            if (tsn == end.Tsn)
            {
                break;
            }
        }

        if (total > _options.MaxMessageSize)
        {
            Terminate(SctpCloseReason.ProtocolViolation, "peer message exceeds max-message-size", sendAbort: true, SctpErrorCause.FromText(SctpErrorCauseCode.ProtocolViolation, "message too large"));
            return;
        }

        var payload = new byte[total];
        var offset = 0;
        for (var tsn = start.Tsn; ; tsn++)
        {
            var fragment = _unorderedFragments[tsn];
            _unorderedFragments.Remove(tsn);
            _receiveBuffered -= InboundStream.Cost(fragment);
            fragment.UserData.Span.CopyTo(payload.AsSpan(offset));
            offset += fragment.UserData.Length;
            if (tsn == end.Tsn)
            {
                break;
            }
        }

        Deliver(chunk.StreamId, start.Ppid, payload, unordered: true);
    }

    private void ReceiveOrdered(DataChunk chunk)
    {
        if (!_inbound.TryGetValue(chunk.StreamId, out var stream))
        {
            stream = new InboundStream();
            _inbound[chunk.StreamId] = stream;
        }

        if (SerialNumber.Lt16(chunk.Ssn, stream.NextSsn))
        {
            // Already delivered or skipped by FORWARD-TSN; the TSN is acknowledged, the bytes are dropped.
            return;
        }

        if (chunk.Beginning && chunk.Ending && chunk.Ssn == stream.NextSsn && stream.Pending.Count == 0
            && chunk.UserData.Length <= _options.MaxMessageSize)
        {
            // The common case, an unfragmented message that is next in order: delivered as is, without the
            // per-message fragment list and reassembly copy.
            stream.NextSsn++;
            Deliver(chunk.StreamId, chunk.Ppid, WholeMessage(chunk), unordered: false);
            return;
        }

        if (!stream.Pending.TryGetValue(chunk.Ssn, out var fragments))
        {
            fragments = [];
            stream.Pending[chunk.Ssn] = fragments;
        }

        fragments.Add(chunk);
        _receiveBuffered += InboundStream.Cost(chunk);
        if (InboundStream.TotalBytes(fragments) > _options.MaxMessageSize)
        {
            Terminate(SctpCloseReason.ProtocolViolation, "peer message exceeds max-message-size", sendAbort: true, SctpErrorCause.FromText(SctpErrorCauseCode.ProtocolViolation, "message too large"));
            return;
        }

        DeliverInOrder(chunk.StreamId, stream);
    }

    private void DeliverInOrder(ushort streamId, InboundStream stream)
    {
        while (stream.Pending.TryGetValue(stream.NextSsn, out var fragments) && InboundStream.IsComplete(fragments))
        {
            stream.Pending.Remove(stream.NextSsn);
            stream.NextSsn++;
            DeliverFragments(streamId, fragments);
        }
    }

    private void DeliverFragments(ushort streamId, List<DataChunk> fragments)
    {
        fragments.Sort(static (a, b) => SerialNumber.TsnComparer.Instance.Compare(a.Tsn, b.Tsn));
        var total = InboundStream.TotalBytes(fragments);
        var payload = new byte[total];
        var offset = 0;
        foreach (var f in fragments)
        {
            f.UserData.Span.CopyTo(payload.AsSpan(offset));
            offset += f.UserData.Length;
        }

        _receiveBuffered -= InboundStream.TotalCost(fragments);
        Deliver(streamId, fragments[0].Ppid, payload, unordered: false);
    }

    /// <summary>
    /// The payload of an unfragmented message. Parsed DATA chunks own a private copy of their user data, so that array
    /// is handed up as is; anything else (a slice of a larger buffer) is copied.
    /// </summary>
    private static byte[] WholeMessage(DataChunk chunk) =>
        MemoryMarshal.TryGetArray(chunk.UserData, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : chunk.UserData.ToArray();

    private void Deliver(ushort streamId, uint ppid, byte[] payload, bool unordered) =>
        PushEvent(new SctpMessageReceived(streamId, ppid, payload, unordered));

    private void OnDataPacketProcessed()
    {
        if (_sackNow || State == SctpState.ShutdownSent)
        {
            _sackNow = true;
            return;
        }

        if (++_packetsSinceAck >= _options.SackEveryNPackets)
        {
            _sackNow = true;
        }
        else if (_packetsSinceAck >= 2)
        {
            // RFC 9260 §6.2's "every second packet" is stretched to SackEveryNPackets only while packets keep coming;
            // a sender whose window or data ran out (after a T3, at a burst's tail) is answered within the short delay.
            var stretch = _now + _options.StretchedAckDelay;
            if (_ackDeadline is not { } due || stretch < due)
            {
                _ackDeadline = stretch;
            }
        }
        else
        {
            _ackDeadline ??= _now + _options.DelayedAckTimeout;
        }
    }

    private SackChunk BuildSack()
    {
        _sackNow = false;
        _ackDeadline = null;
        _packetsSinceAck = 0;
        var blocks = new List<SackGapBlock>();
        uint? runStart = null;
        uint runEnd = 0;
        foreach (var tsn in _receivedAbove)
        {
            if (runStart is not null && tsn == runEnd + 1)
            {
                runEnd = tsn;
                continue;
            }

            if (runStart is { } s)
            {
                blocks.Add(new SackGapBlock((ushort)(s - _cumTsn), (ushort)(runEnd - _cumTsn)));
                if (blocks.Count >= _options.MaxGapBlocksPerSack)
                {
                    runStart = null;
                    break;
                }
            }

            runStart = tsn;
            runEnd = tsn;
        }

        if (runStart is { } last)
        {
            blocks.Add(new SackGapBlock((ushort)(last - _cumTsn), (ushort)(runEnd - _cumTsn)));
        }

        var rwnd = Math.Max(0, _options.ReceiveBufferSize - _receiveBuffered);
        var dups = _duplicateTsns.ToArray();
        _duplicateTsns.Clear();
        Stats.SacksSent++;
        if (blocks.Count > 0)
        {
            Stats.SacksSentWithGaps++;
        }

        return new SackChunk(_cumTsn, (uint)rwnd, blocks, dups);
    }

    private void HandleForwardTsn(ForwardTsnChunk chunk)
    {
        Stats.ForwardTsnReceived++;
        _sackNow = true;
        var newCum = chunk.NewCumulativeTsn;
        if (SerialNumber.Lte(newCum, _cumTsn))
        {
            return;
        }

        while (_receivedAbove.Count > 0 && SerialNumber.Lte(_receivedAbove.Min, newCum))
        {
            _receivedAbove.Remove(_receivedAbove.Min);
        }

        _cumTsn = newCum;
        AdvanceCumulativeTsn();

        // Unordered fragments at or below the new cumulative TSN belong to abandoned messages.
        if (_unorderedFragments.Count > 0)
        {
            foreach (var tsn in _unorderedFragments.Keys.Where(t => SerialNumber.Lte(t, newCum)).ToList())
            {
                _receiveBuffered -= InboundStream.Cost(_unorderedFragments[tsn]);
                _unorderedFragments.Remove(tsn);
            }
        }

        foreach (var skipped in chunk.Streams)
        {
            if (!_inbound.TryGetValue(skipped.StreamId, out var stream))
            {
                stream = new InboundStream();
                _inbound[skipped.StreamId] = stream;
            }

            if (SerialNumber.Lt16(skipped.Ssn, stream.NextSsn))
            {
                continue;
            }

            // Deliver complete messages up to the skipped SSN, drop incomplete ones, then resume after it.
            while (SerialNumber.Lte16(stream.NextSsn, skipped.Ssn))
            {
                if (stream.Pending.Remove(stream.NextSsn, out var fragments))
                {
                    if (InboundStream.IsComplete(fragments))
                    {
                        DeliverFragments(skipped.StreamId, fragments);
                    }
                    else
                    {
                        _receiveBuffered -= InboundStream.TotalCost(fragments);
                    }
                }

                stream.NextSsn++;
            }
        }

        // Any incomplete ordered message with a fragment at or below the new cumulative TSN can never complete.
        foreach (var (streamId, stream) in _inbound)
        {
            foreach (var (ssn, fragments) in stream.Pending.ToList())
            {
                if (!InboundStream.IsComplete(fragments) && fragments.Exists(f => SerialNumber.Lte(f.Tsn, newCum)))
                {
                    stream.Pending.Remove(ssn);
                    _receiveBuffered -= InboundStream.TotalCost(fragments);
                }
            }

            DeliverInOrder(streamId, stream);
        }

        CheckDeferredPeerReset();
    }
}
