using Enslavism.SlaveHost.PeerConnections;
using Enslavism.Signaling;

namespace Enslavism.SlaveHost;

public sealed partial class SlaveConnection
{
    /// <summary>
    /// A new offer replaces any session the same client id holds: a browser renegotiating or reconnecting sends a fresh
    /// offer, and keeping two peer connections per id is what broke candidate routing in Enslavism 0.9.
    /// </summary>
    private void HandleOffer(OfferFromClient offer)
    {
        if (_disposing)
        {
            return;
        }

        ClientSession? replaced;
        ClientSession? session = null;
        lock (_sessionsGate)
        {
            _sessions.TryGetValue(offer.ClientId, out replaced);
            if (replaced is not null || _sessions.Count < _options.MaxClients)
            {
                session = new ClientSession(offer.ClientId, _options.MaxPendingCandidatesPerClient, this);
                _sessions[offer.ClientId] = session;
            }
        }

        if (session is null)
        {
            _metrics.Offer("rejected_capacity");
            Log.OfferRejected(_logger, offer.ClientId, "the slave holds MaxClients sessions");
            TrySend(new RejectToClient(offer.ClientId));
            return;
        }

        _metrics.ClientOpened();
        Log.OfferReceived(_logger, offer.ClientId, offer.Sdp.Length);
        if (replaced is not null)
        {
            Log.OfferReplaces(_logger, offer.ClientId);
            Track(ReleaseAsync(replaced, ClientReleaseReason.Replaced));
        }

        var client = KnownClient(offer.ClientId);
        Track(Task.Run(() => RunOfferAsync(session, offer.Sdp, client), CancellationToken.None));
    }

    private void HandleRemoteCandidate(IceCandidateFromClient message)
    {
        ClientSession? session;
        lock (_sessionsGate)
        {
            _sessions.TryGetValue(message.ClientId, out session);
        }

        if (session is null)
        {
            // Late candidates after a release are normal; an id that never offered is the master's mistake. Both are dropped.
            ((ISessionHost)this).CandidateDropped(message.ClientId, "unknown_client");
            return;
        }

        session.OnRemoteCandidate(message.Candidate);
    }

    private async Task RunOfferAsync(ClientSession session, string offerSdp, OfferingClient? client)
    {
        var clientId = session.ClientId;
        using var timeout = new CancellationTokenSource(_options.AnswerTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, session.Closing);
        if (await AdmitAsync(new IncomingOffer(clientId, offerSdp, client), linked.Token).ConfigureAwait(false) != OfferDecision.Accept)
        {
            await RejectAsync(session, "rejected", "refused by the admission handler", ClientReleaseReason.AnswerFailed).ConfigureAwait(false);
            return;
        }

        IPeerConnection peer;
        try
        {
            peer = _peerConnectionFactory.CreatePeerConnection(clientId);
        }
        catch (Exception e)
        {
            Log.PeerCreationFailed(_logger, clientId, e);
            await RejectAsync(session, "peer_failed", "the peer connection factory failed", ClientReleaseReason.AnswerFailed).ConfigureAwait(false);
            return;
        }

        if (!session.TryAttachPeer(peer))
        {
            await DisposePeerAsync(clientId, peer).ConfigureAwait(false);
            return;
        }

        Raise(ClientAccepted, new ClientAcceptedEventArgs(clientId, peer), nameof(ClientAccepted));
        string answer;
        try
        {
            answer = await peer.AcceptOfferAsync(offerSdp, linked.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            if (session.IsOpen)
            {
                Log.AnswerFailed(_logger, clientId, e);
                await RejectAsync(session, "answer_failed", "no answer", ClientReleaseReason.AnswerFailed).ConfigureAwait(false);
            }

            return;
        }

        switch (session.TryCompleteAnswer(answer))
        {
            case AnswerOutcome.Sent:
                _metrics.Offer("accepted");
                Log.OfferAnswered(_logger, clientId);
                break;
            case AnswerOutcome.SendFailed:
                _metrics.Offer("signaling_failed");
                await ReleaseAsync(session, ClientReleaseReason.SignalingFailed).ConfigureAwait(false);
                break;
            default:
                // Closed while answering (replaced, peer closed, slave gone): whoever closed it released it.
                break;
        }
    }

    private async ValueTask<OfferDecision> AdmitAsync(IncomingOffer offer, CancellationToken cancellationToken)
    {
        var handler = OfferAdmission;
        if (handler is null)
        {
            return OfferDecision.Accept;
        }

        try
        {
            return await handler(offer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.AdmissionFailed(_logger, offer.ClientId, e);
            return OfferDecision.Reject;
        }
    }

    /// <summary>Tells the client no, unless the session was already closed (then the client has moved on).</summary>
    private async Task RejectAsync(ClientSession session, string outcome, string why, ClientReleaseReason reason)
    {
        if (!session.IsOpen)
        {
            return;
        }

        _metrics.Offer(outcome);
        Log.OfferRejected(_logger, session.ClientId, why);
        TrySend(new RejectToClient(session.ClientId));
        await ReleaseAsync(session, reason).ConfigureAwait(false);
    }

    private async Task ReleaseAsync(ClientSession session, ClientReleaseReason reason)
    {
        var (wasOpen, peer, announced) = session.Close();
        if (!wasOpen)
        {
            return;
        }

        lock (_sessionsGate)
        {
            if (_sessions.TryGetValue(session.ClientId, out var current) && ReferenceEquals(current, session))
            {
                _sessions.Remove(session.ClientId);
            }
        }

        _metrics.ClientClosed();
        if (reason == ClientReleaseReason.ClientLeft && peer is not null && WebRtcHosting.WebRtcPeerConnectionFactory.ClientOf(peer) is { } connection)
        {
            // Before the peer is disposed, which would report the slave as the one who closed it.
            connection.Complete(ClientCloseReason.ClientLeft, "the master reported that the client's signaling connection closed");
        }

        if (peer is not null)
        {
            await DisposePeerAsync(session.ClientId, peer).ConfigureAwait(false);
        }

        session.Dispose();
        Log.ClientReleased(_logger, session.ClientId, reason);
        if (announced && peer is not null)
        {
            Raise(ClientReleased, new ClientReleasedEventArgs(session.ClientId, peer, reason), nameof(ClientReleased));
        }
    }

    private async Task ReleaseAllAsync()
    {
        ClientSession[] sessions;
        lock (_sessionsGate)
        {
            sessions = [.. _sessions.Values];
        }

        await Task.WhenAll(sessions.Select(s => ReleaseAsync(s, ClientReleaseReason.SlaveDisconnected))).ConfigureAwait(false);

        // Offer tasks see their session closed and stop; a peer that ignores cancellation gets CloseTimeout, not forever.
        try
        {
            await Task.WhenAll(_background.Keys).WaitAsync(_options.CloseTimeout, _timeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.BackgroundWorkTimedOut(_logger, _background.Count);
        }
    }

    private async Task DisposePeerAsync(uint clientId, IPeerConnection peer)
    {
        try
        {
            // Bounded so that a stuck WebRTC stack cannot hold the slave's shutdown forever.
            await peer.DisposeAsync().AsTask().WaitAsync(_options.CloseTimeout, _timeProvider).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.PeerDisposeFailed(_logger, clientId, e);
        }
    }
}
