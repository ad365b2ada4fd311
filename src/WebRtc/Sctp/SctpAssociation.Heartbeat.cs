using System.Buffers.Binary;

namespace Enslavism.WebRtc.Sctp;

/// <summary>Path heartbeat of an idle association, RFC 9260 §8.3: liveness and a fresh RTO while no DATA flows.</summary>
public sealed partial class SctpAssociation
{
    // Our Heartbeat Info: send time (ticks of the caller's clock) and a random nonce, so only an echo of the HEARTBEAT we
    // actually sent can feed the RTT estimator; the peer treats it as opaque bytes.
    private const int HeartbeatInfoLength = 12;

    private TimeSpan? _heartbeatDeadline;
    private bool _heartbeatOutstanding;
    private uint _heartbeatNonce;
    private TimeSpan _lastDataSentAt;

    private void StartHeartbeatTimer()
    {
        if (_options.HeartbeatInterval is { } interval)
        {
            _heartbeatDeadline = _now + interval + HeartbeatJitteredRto();
        }
    }

    /// <summary>RTO ± RTO/2 (RFC 9260 §8.3), so many associations started together do not heartbeat in lockstep.</summary>
    private TimeSpan HeartbeatJitteredRto()
    {
        Span<byte> b = stackalloc byte[1];
        _random.NextBytes(b);
        return _rto * (0.5 + (b[0] / 255.0));
    }

    private void OnHeartbeatTimer()
    {
        _heartbeatDeadline = null;
        if (State != SctpState.Established || _options.HeartbeatInterval is not { } interval)
        {
            return;
        }

        if (_outstandingCount > 0)
        {
            // T3-rtx watches the peer while DATA is outstanding; an answer lost in that time is not held against it.
            _heartbeatOutstanding = false;
            StartHeartbeatTimer();
            return;
        }

        if (_heartbeatOutstanding)
        {
            Stats.HeartbeatsUnanswered++;
            _rto = Min(_rto * 2, _options.RtoMax);
            if (++_errorCount > _options.MaxAssociationRetransmits)
            {
                Terminate(SctpCloseReason.RetransmissionLimit, "peer stopped answering heartbeats", sendAbort: true);
                return;
            }
        }
        else if (_now - _lastDataSentAt < interval)
        {
            // Not idle: DATA went out within the interval (its SACKs measure the RTT already).
            _heartbeatDeadline = _lastDataSentAt + interval + HeartbeatJitteredRto();
            return;
        }

        SendHeartbeat();
    }

    private void SendHeartbeat()
    {
        Span<byte> nonce = stackalloc byte[4];
        _random.NextBytes(nonce);
        _heartbeatNonce = BinaryPrimitives.ReadUInt32BigEndian(nonce);
        var info = new byte[HeartbeatInfoLength];
        BinaryPrimitives.WriteInt64BigEndian(info, _now.Ticks);
        BinaryPrimitives.WriteUInt32BigEndian(info.AsSpan(8), _heartbeatNonce);
        QueueControl(new HeartbeatChunk(info));
        Stats.HeartbeatsSent++;
        _heartbeatOutstanding = true;
        // One RTO to answer (RFC 9260 §8.3); the next HEARTBEAT, if this one goes unanswered, follows right then.
        _heartbeatDeadline = _now + _rto;
    }

    private void HandleHeartbeatAck(HeartbeatAckChunk ack)
    {
        var info = ack.Info.Span;
        if (!_heartbeatOutstanding || info.Length != HeartbeatInfoLength || BinaryPrimitives.ReadUInt32BigEndian(info[8..]) != _heartbeatNonce)
        {
            return;
        }

        var sentAt = new TimeSpan(BinaryPrimitives.ReadInt64BigEndian(info));
        _heartbeatOutstanding = false;
        Stats.HeartbeatAcksReceived++;
        _errorCount = 0;
        UpdateRto(_now - sentAt);
        StartHeartbeatTimer();
    }
}
