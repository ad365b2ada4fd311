using Enslavism.WebRtc.Sctp;

namespace Enslavism.WebRtc.DataChannels;

/// <summary>
/// Data channels (RFC 8831) with in-band DCEP (RFC 8832) and pre-negotiated ids over one <see cref="SctpAssociation"/>.
/// <para>
/// Run-loop contract (same as the association it wraps): feed SCTP packets from DTLS to <see cref="HandleInput"/>,
/// call <see cref="HandleTimeout"/> at <see cref="PollTimeout"/>, and after every call (including sends and closes)
/// drain <see cref="TryPollTransmit"/> into DTLS and <see cref="TryPollEvent"/> into the application.
/// </para>
/// </summary>
public sealed class DataChannelManager
{
    private readonly SctpAssociation _association;
    private readonly DataChannelManagerOptions _options;
    private readonly Dictionary<ushort, DataChannel> _channels = [];
    private readonly Queue<DataChannelEvent> _events = new();
    private readonly HashSet<DataChannel> _buffering = [];
    private TimeSpan _lastNow;

    public DataChannelManager(SctpAssociation association, DataChannelManagerOptions? options = null)
    {
        _association = association;
        _options = options ?? new DataChannelManagerOptions();
    }

    public SctpAssociation Association => _association;

    public IReadOnlyCollection<DataChannel> Channels => _channels.Values;

    /// <summary>Active SCTP open (only when this side must send INIT; WebRTC peers usually do it themselves).</summary>
    public void Connect(TimeSpan now)
    {
        _association.Connect(now);
        Process(now);
    }

    /// <summary>Graceful close of the whole association (queued data first); channels close when it ends.</summary>
    public void Shutdown(TimeSpan now)
    {
        _association.Shutdown(now);
        Process(now);
    }

    public void Abort(TimeSpan now, string reason)
    {
        _association.Abort(now, reason);
        Process(now);
    }

    public void HandleInput(TimeSpan now, ReadOnlySpan<byte> sctpPacket)
    {
        _association.HandleInput(now, sctpPacket);
        Process(now);
    }

    /// <summary>Like <see cref="HandleInput"/> for a buffer given up for good, see <see cref="SctpAssociation.HandleInputOwned"/>.</summary>
    internal void HandleInputOwned(TimeSpan now, ReadOnlyMemory<byte> sctpPacket)
    {
        _association.HandleInputOwned(now, sctpPacket);
        Process(now);
    }

    public void HandleTimeout(TimeSpan now)
    {
        _association.HandleTimeout(now);
        Process(now);
    }

    public TimeSpan? PollTimeout() => _association.PollTimeout();

    public bool TryPollTransmit(out ReadOnlyMemory<byte> sctpPacket)
    {
        var result = _association.TryPollTransmit(out sctpPacket);
        // Building packets moves bytes out of the send queue: that is when bufferedAmount drops.
        CheckBufferedAmountLow();
        return result;
    }

    /// <summary>Zero-allocation drain, see <see cref="SctpAssociation.TryPeekTransmit"/>: every true return must be followed by <see cref="ConsumeTransmit"/>.</summary>
    internal bool TryPeekTransmit(out ReadOnlySpan<byte> sctpPacket) => _association.TryPeekTransmit(out sctpPacket);

    internal void ConsumeTransmit()
    {
        _association.ConsumeTransmit();
        CheckBufferedAmountLow();
    }

    public bool TryPollEvent(out DataChannelEvent? ev)
    {
        Process(null);
        return _events.TryDequeue(out ev);
    }

    /// <summary>
    /// Opens an in-band channel: picks the lowest free stream id of our parity and sends DATA_CHANNEL_OPEN once the
    /// association is up. Returns null when no id is free.
    /// </summary>
    public DataChannel? CreateChannel(TimeSpan now, DataChannelOptions options)
    {
        var id = AllocateId();
        if (id is null)
        {
            return null;
        }

        var channel = new DataChannel(this, id.Value, options, negotiated: false);
        _channels[id.Value] = channel;
        if (_association.IsEstablished)
        {
            SendOpen(now, channel);
        }

        return channel;
    }

    /// <summary>
    /// Pre-negotiated channel on a fixed stream id (both sides create it with the same options; no DCEP). Returns null
    /// if the id is taken.
    /// </summary>
    public DataChannel? CreateNegotiatedChannel(TimeSpan now, ushort id, DataChannelOptions options)
    {
        if (_channels.ContainsKey(id) || id == ushort.MaxValue)
        {
            return null;
        }

        var channel = new DataChannel(this, id, options, negotiated: true);
        _channels[id] = channel;
        if (_association.IsEstablished)
        {
            MarkNegotiatedOpen(channel);
        }

        _ = now;
        return channel;
    }

    internal long BufferedAmountOf(DataChannel channel) =>
        _channels.TryGetValue(channel.Id, out var c) && ReferenceEquals(c, channel) ? _association.GetBufferedAmount(channel.Id) : 0;

    /// <param name="owned">When set, <paramref name="data"/> is this whole array and SCTP takes it over without a copy.</param>
    internal DataChannelSendResult Send(TimeSpan now, DataChannel channel, ReadOnlySpan<byte> data, bool isString, byte[]? owned = null)
    {
        if (channel.State != DataChannelState.Open)
        {
            return DataChannelSendResult.NotOpen;
        }

        DataChannelPpid ppid;
        ReadOnlySpan<byte> payload = data;
        if (data.IsEmpty)
        {
            // SCTP cannot carry an empty message: RFC 8831 §6.6 sends one byte with the "empty" PPID.
            ppid = isString ? DataChannelPpid.WebRtcStringEmpty : DataChannelPpid.WebRtcBinaryEmpty;
            payload = [0];
        }
        else
        {
            ppid = isString ? DataChannelPpid.WebRtcString : DataChannelPpid.WebRtcBinary;
        }

        var unordered = !channel.Ordered && !channel.AwaitingAck;
        var result = owned is not null && !data.IsEmpty
            ? _association.SendOwned(now, channel.Id, (uint)ppid, owned, unordered, channel.Reliability.ToSctp())
            : _association.Send(now, channel.Id, (uint)ppid, payload, unordered, channel.Reliability.ToSctp());
        if (result == SctpSendResult.Queued)
        {
            _buffering.Add(channel);
        }

        Process(now);
        return result switch
        {
            SctpSendResult.Queued => DataChannelSendResult.Queued,
            SctpSendResult.MessageTooLarge => DataChannelSendResult.MessageTooLarge,
            SctpSendResult.BufferFull => DataChannelSendResult.BufferFull,
            SctpSendResult.NotConnected or SctpSendResult.StreamResetting => DataChannelSendResult.NotOpen,
            _ => DataChannelSendResult.Failed,
        };
    }

    internal void Close(TimeSpan now, DataChannel channel)
    {
        if (channel.State is DataChannelState.Closing or DataChannelState.Closed || !_channels.TryGetValue(channel.Id, out var current) || !ReferenceEquals(current, channel))
        {
            return;
        }

        if (!_association.IsEstablished || !_association.ResetStream(now, channel.Id))
        {
            // Nothing was ever sent on the stream (or the transport is gone): close locally.
            FinishClose(channel);
            return;
        }

        channel.State = DataChannelState.Closing;
        Process(now);
    }

    private ushort? AllocateId()
    {
        var limit = _association.IsEstablished ? _association.OutboundStreamCount : (int)_association.Options.OutboundStreams;
        for (var id = _options.UseOddStreamIds ? 1 : 0; id < limit && id < ushort.MaxValue; id += 2)
        {
            if (!_channels.ContainsKey((ushort)id))
            {
                return (ushort)id;
            }
        }

        return null;
    }

    private void SendOpen(TimeSpan now, DataChannel channel)
    {
        if (channel.Id >= _association.OutboundStreamCount)
        {
            _events.Enqueue(new DataChannelError(channel, DataChannelErrorKind.InvalidStreamId, "stream id beyond the negotiated stream count"));
            FinishClose(channel);
            return;
        }

        var open = new DcepOpenMessage(channel.Reliability.ToDcepType(channel.Ordered), channel.Options.Priority, channel.Reliability.DcepParameter, channel.Label, channel.Protocol);
        // DCEP messages are always ordered and reliable (RFC 8832 §6).
        var result = _association.Send(now, channel.Id, (uint)DataChannelPpid.Dcep, open.Encode());
        if (result != SctpSendResult.Queued)
        {
            _events.Enqueue(new DataChannelError(channel, DataChannelErrorKind.InvalidStreamId, "could not send DATA_CHANNEL_OPEN: " + result));
            FinishClose(channel);
            return;
        }

        channel.OpenSent = true;
        channel.AwaitingAck = true;
        channel.State = DataChannelState.Open;
        _events.Enqueue(new DataChannelOpened(channel, OpenedByPeer: false));
    }

    private void MarkNegotiatedOpen(DataChannel channel)
    {
        if (channel.Id >= _association.OutboundStreamCount)
        {
            _events.Enqueue(new DataChannelError(channel, DataChannelErrorKind.InvalidStreamId, "stream id beyond the negotiated stream count"));
            FinishClose(channel);
            return;
        }

        channel.State = DataChannelState.Open;
        _events.Enqueue(new DataChannelOpened(channel, OpenedByPeer: false));
    }

    /// <summary>Turns association events into channel events.</summary>
    private void Process(TimeSpan? now)
    {
        if (now > _lastNow)
        {
            _lastNow = now.Value;
        }

        var at = _lastNow;
        while (_association.TryPollEvent(out var ev))
        {
            switch (ev)
            {
                case SctpConnected:
                    _events.Enqueue(new DataChannelTransportConnected());
                    foreach (var channel in _channels.Values.Where(c => c.State == DataChannelState.Connecting).OrderBy(c => c.Id).ToList())
                    {
                        if (channel.Negotiated)
                        {
                            MarkNegotiatedOpen(channel);
                        }
                        else
                        {
                            SendOpen(at, channel);
                        }
                    }

                    break;
                case SctpMessageReceived message:
                    OnMessage(at, message);
                    break;
                case SctpIncomingStreamReset reset:
                    if (_channels.TryGetValue(reset.StreamId, out var closing) && closing.State != DataChannelState.Closed)
                    {
                        closing.State = DataChannelState.Closing;
                    }

                    break;
                case SctpStreamReset reset:
                    if (_channels.TryGetValue(reset.StreamId, out var closed))
                    {
                        FinishClose(closed);
                    }

                    break;
                case SctpClosed closedEvent:
                    foreach (var channel in _channels.Values.ToList())
                    {
                        FinishClose(channel);
                    }

                    _events.Enqueue(new DataChannelTransportClosed(closedEvent.Reason, closedEvent.Detail));
                    break;
            }
        }

        CheckBufferedAmountLow();
    }

    private void OnMessage(TimeSpan now, SctpMessageReceived message)
    {
        var ppid = (DataChannelPpid)message.Ppid;
        _channels.TryGetValue(message.StreamId, out var channel);
        if (ppid == DataChannelPpid.Dcep)
        {
            OnDcep(now, message, channel);
            return;
        }

        if (channel is null || channel.State == DataChannelState.Closed)
        {
            _events.Enqueue(new DataChannelError(null, DataChannelErrorKind.UnknownStream, "message on stream " + message.StreamId + " without a channel"));
            return;
        }

        // Any data from the peer implies it processed our OPEN (RFC 8832 §6).
        channel.AwaitingAck = false;
        switch (ppid)
        {
            case DataChannelPpid.WebRtcString or DataChannelPpid.WebRtcStringPartial:
                _events.Enqueue(new DataChannelMessageReceived(channel, true, message.Payload));
                break;
            case DataChannelPpid.WebRtcBinary or DataChannelPpid.WebRtcBinaryPartial:
                _events.Enqueue(new DataChannelMessageReceived(channel, false, message.Payload));
                break;
            case DataChannelPpid.WebRtcStringEmpty:
                _events.Enqueue(new DataChannelMessageReceived(channel, true, []));
                break;
            case DataChannelPpid.WebRtcBinaryEmpty:
                _events.Enqueue(new DataChannelMessageReceived(channel, false, []));
                break;
            default:
                _events.Enqueue(new DataChannelError(channel, DataChannelErrorKind.UnknownPpid, "unknown PPID " + message.Ppid));
                break;
        }
    }

    private void OnDcep(TimeSpan now, SctpMessageReceived message, DataChannel? channel)
    {
        var payload = message.Payload;
        if (DcepAckMessage.IsAck(payload))
        {
            if (channel is { Negotiated: false })
            {
                channel.AwaitingAck = false;
            }

            return;
        }

        if (!DcepOpenMessage.TryParse(payload, out var open, out var error))
        {
            _events.Enqueue(new DataChannelError(channel, DataChannelErrorKind.MalformedDcep, error.Message));
            return;
        }

        if (channel != null && channel.State != DataChannelState.Closed)
        {
            _events.Enqueue(new DataChannelError(channel, DataChannelErrorKind.StreamInUse, "DATA_CHANNEL_OPEN on stream " + message.StreamId + " which is already in use"));
            return;
        }

        if (message.StreamId >= _association.OutboundStreamCount)
        {
            // We could never answer on it: the peer ignored the stream counts negotiated in INIT.
            _events.Enqueue(new DataChannelError(null, DataChannelErrorKind.InvalidStreamId, "DATA_CHANNEL_OPEN on stream " + message.StreamId + " beyond our outbound stream count"));
            return;
        }

        if (_channels.Count >= _options.MaxChannels)
        {
            _events.Enqueue(new DataChannelError(null, DataChannelErrorKind.TooManyChannels, "refusing channel " + message.StreamId));
            _association.ResetStream(now, message.StreamId);
            return;
        }

        var options = new DataChannelOptions
        {
            Label = open!.Label,
            Protocol = open.Protocol,
            Ordered = open.Ordered,
            Reliability = open.Reliability,
            Priority = open.Priority,
        };
        var created = new DataChannel(this, message.StreamId, options, negotiated: false) { State = DataChannelState.Open };
        _channels[message.StreamId] = created;
        _association.Send(now, message.StreamId, (uint)DataChannelPpid.Dcep, DcepAckMessage.Encode());
        _events.Enqueue(new DataChannelOpened(created, OpenedByPeer: true));
    }

    private void FinishClose(DataChannel channel)
    {
        if (channel.State == DataChannelState.Closed)
        {
            return;
        }

        channel.State = DataChannelState.Closed;
        if (_channels.TryGetValue(channel.Id, out var current) && ReferenceEquals(current, channel))
        {
            _channels.Remove(channel.Id);
        }

        _events.Enqueue(new DataChannelClosed(channel));
    }

    /// <summary>Edge-triggered like the W3C event: fires when a channel's queue falls from above its threshold to at or below it.</summary>
    private void CheckBufferedAmountLow()
    {
        if (_buffering.Count == 0)
        {
            return;
        }

        List<DataChannel>? drained = null;
        foreach (var channel in _buffering)
        {
            var buffered = channel.State == DataChannelState.Closed ? 0 : _association.GetBufferedAmount(channel.Id);
            if (channel.LastReportedBuffered > channel.BufferedAmountLowThreshold && buffered <= channel.BufferedAmountLowThreshold && channel.State == DataChannelState.Open)
            {
                _events.Enqueue(new DataChannelBufferedAmountLow(channel));
            }

            channel.LastReportedBuffered = buffered;
            if (buffered == 0)
            {
                (drained ??= []).Add(channel);
            }
        }

        drained?.ForEach(c => _buffering.Remove(c));
    }
}
