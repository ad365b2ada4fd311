namespace Enslavism.WebRtc.Sctp;

/// <summary>Stream reset with RE-CONFIG (RFC 6525 §5): one outstanding request at a time, retransmitted on a timer.</summary>
public sealed partial class SctpAssociation
{
    private readonly Dictionary<ushort, StreamResetProgress> _streamResets = [];
    private readonly List<ushort> _resetQueue = [];
    private OutgoingSsnResetRequestParameter? _pendingResetRequest;
    private OutgoingSsnResetRequestParameter? _deferredPeerRequest;
    private ReConfigResponseParameter? _lastResponse;
    private TimeSpan? _reconfigDeadline;
    private int _reconfigRetransmits;
    private uint _nextReconfigRequestSeq;
    private uint _peerNextRequestSeq;

    /// <summary>
    /// Starts closing a stream: our outgoing side is reset once its queued data has been sent; the peer is expected to
    /// reset its side too, after which <see cref="SctpStreamReset"/> is raised. Returns false if not possible now.
    /// </summary>
    public bool ResetStream(TimeSpan now, ushort streamId)
    {
        Tick(now);
        if (State != SctpState.Established)
        {
            return false;
        }

        if (_streamResets.TryGetValue(streamId, out var progress) && progress.OutgoingRequested)
        {
            return false;
        }

        RequestOutgoingReset(streamId);
        return true;
    }

    private void RequestOutgoingReset(ushort streamId)
    {
        if (!_streamResets.TryGetValue(streamId, out var progress))
        {
            progress = new StreamResetProgress();
            _streamResets[streamId] = progress;
        }

        if (progress.OutgoingRequested)
        {
            return;
        }

        progress.OutgoingRequested = true;
        if (!_peerSupportsReConfig)
        {
            // Without RE-CONFIG the stream can only be forgotten locally.
            progress.OutgoingDone = true;
            progress.IncomingDone = true;
            _outgoingSsn.Remove(streamId);
            _inbound.Remove(streamId);
            CompleteIfFullyReset(streamId, progress);
            return;
        }

        _resetQueue.Add(streamId);
    }

    private void MaybeStartReconfigRequest()
    {
        if (_pendingResetRequest != null || _resetQueue.Count == 0 || State != SctpState.Established)
        {
            return;
        }

        // A stream is reset only after all of its queued messages got TSNs (the request names the last one).
        var ready = _resetQueue.Where(id => !_scheduler.HasPendingFor(id)).Take(64).ToArray();
        if (ready.Length == 0)
        {
            return;
        }

        _resetQueue.RemoveAll(ready.Contains);
        _pendingResetRequest = new OutgoingSsnResetRequestParameter(_nextReconfigRequestSeq, _peerNextRequestSeq - 1, _nextTsn - 1, ready);
        _reconfigRetransmits = 0;
        _reconfigDeadline = _now + _rto;
        QueueControl(new ReConfigChunk([_pendingResetRequest]));
    }

    private void OnReconfigTimerExpired()
    {
        _reconfigDeadline = null;
        if (_pendingResetRequest is null)
        {
            return;
        }

        if (++_reconfigRetransmits > _options.MaxAssociationRetransmits)
        {
            Terminate(SctpCloseReason.RetransmissionLimit, "peer never answered the stream reset", sendAbort: true);
            return;
        }

        _reconfigDeadline = _now + _rto;
        QueueControl(new ReConfigChunk([_pendingResetRequest]));
    }

    private void HandleReConfig(ReConfigChunk chunk)
    {
        foreach (var parameter in chunk.Parameters)
        {
            switch (parameter)
            {
                case OutgoingSsnResetRequestParameter request:
                    HandlePeerOutgoingReset(request);
                    break;
                case IncomingSsnResetRequestParameter request:
                    HandlePeerIncomingReset(request);
                    break;
                case ReConfigResponseParameter response:
                    HandleReconfigResponse(response);
                    break;
                default:
                    break;
            }
        }
    }

    private void Respond(uint sequence, ReConfigResult result, bool remember)
    {
        var response = new ReConfigResponseParameter(sequence, result);
        if (remember)
        {
            _lastResponse = response;
        }

        QueueControl(new ReConfigChunk([response]));
    }

    private void HandlePeerOutgoingReset(OutgoingSsnResetRequestParameter request)
    {
        if (request.RequestSequenceNumber == _peerNextRequestSeq)
        {
            if (SerialNumber.Lte(request.SenderLastAssignedTsn, _cumTsn))
            {
                PerformIncomingReset(request);
            }
            else
            {
                // Data sent before the reset is still missing: finish it first (RFC 6525 §5.2.2).
                _deferredPeerRequest = request;
                Respond(request.RequestSequenceNumber, ReConfigResult.InProgress, remember: false);
            }
        }
        else if (request.RequestSequenceNumber == _peerNextRequestSeq - 1 && _lastResponse != null)
        {
            QueueControl(new ReConfigChunk([_lastResponse]));
        }
        else
        {
            Respond(request.RequestSequenceNumber, ReConfigResult.ErrorBadSequenceNumber, remember: false);
        }
    }

    private void CheckDeferredPeerReset()
    {
        if (_deferredPeerRequest is { } request && SerialNumber.Lte(request.SenderLastAssignedTsn, _cumTsn))
        {
            PerformIncomingReset(request);
        }
    }

    private void PerformIncomingReset(OutgoingSsnResetRequestParameter request)
    {
        _deferredPeerRequest = null;
        _peerNextRequestSeq++;
        Respond(request.RequestSequenceNumber, ReConfigResult.SuccessPerformed, remember: true);
        var streams = request.StreamIds.Count > 0 ? request.StreamIds : _inbound.Keys.ToArray();
        foreach (var streamId in streams)
        {
            if (_inbound.Remove(streamId, out var stream))
            {
                foreach (var fragments in stream.Pending.Values)
                {
                    _receiveBuffered -= InboundStream.TotalCost(fragments);
                }
            }

            if (!_streamResets.TryGetValue(streamId, out var progress))
            {
                progress = new StreamResetProgress();
                _streamResets[streamId] = progress;
            }

            progress.IncomingDone = true;
            PushEvent(new SctpIncomingStreamReset(streamId));
            if (request.StreamIds.Count > 0)
            {
                // Data channels close both directions (RFC 8831 §6.7): answer with our own reset.
                RequestOutgoingReset(streamId);
            }

            CompleteIfFullyReset(streamId, progress);
        }
    }

    private void HandlePeerIncomingReset(IncomingSsnResetRequestParameter request)
    {
        if (request.RequestSequenceNumber == _peerNextRequestSeq)
        {
            _peerNextRequestSeq++;
            foreach (var streamId in request.StreamIds)
            {
                RequestOutgoingReset(streamId);
            }

            Respond(request.RequestSequenceNumber, ReConfigResult.SuccessPerformed, remember: true);
        }
        else if (request.RequestSequenceNumber == _peerNextRequestSeq - 1 && _lastResponse != null)
        {
            QueueControl(new ReConfigChunk([_lastResponse]));
        }
        else
        {
            Respond(request.RequestSequenceNumber, ReConfigResult.ErrorBadSequenceNumber, remember: false);
        }
    }

    private void HandleReconfigResponse(ReConfigResponseParameter response)
    {
        if (_pendingResetRequest is not { } request || response.ResponseSequenceNumber != request.RequestSequenceNumber)
        {
            return;
        }

        if (response.Result == ReConfigResult.InProgress)
        {
            _reconfigDeadline = _now + _rto;
            return;
        }

        _pendingResetRequest = null;
        _reconfigDeadline = null;
        _nextReconfigRequestSeq++;
        foreach (var streamId in request.StreamIds)
        {
            _outgoingSsn.Remove(streamId);
            if (_streamResets.TryGetValue(streamId, out var progress))
            {
                // A denied reset still ends our use of the stream; the channel above is closed either way.
                progress.OutgoingDone = true;
                CompleteIfFullyReset(streamId, progress);
            }
        }
    }

    private void CompleteIfFullyReset(ushort streamId, StreamResetProgress progress)
    {
        if (progress.OutgoingDone && progress.IncomingDone)
        {
            _streamResets.Remove(streamId);
            PushEvent(new SctpStreamReset(streamId));
        }
    }
}
