using Enslavism.SlaveHost.PeerConnections;
using Enslavism.Signaling;

namespace Enslavism.SlaveHost;

/// <summary>
/// One client's offer/answer exchange and the candidates around it. Candidates in both directions wait here until the
/// answer is on its way: the peer connection cannot use remote candidates before it has the offer, and the browser cannot
/// use ours before it has the answer. All state changes happen under one lock so that the answer, held local candidates
/// and later ones leave in order.
/// </summary>
internal sealed class ClientSession : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Queue<IceCandidate?> _pendingRemote = new();
    private readonly List<IceCandidate?> _pendingLocal = [];
    private readonly int _maxPending;
    private readonly ISessionHost _host;
    private readonly CancellationTokenSource _cancellation = new();
    private IPeerConnection? _peer;
    private ClientSessionState _state = ClientSessionState.Admitting;
    private bool _announced;

    public ClientSession(uint clientId, int maxPendingCandidates, ISessionHost host)
    {
        ClientId = clientId;
        _maxPending = maxPendingCandidates;
        _host = host;
    }

    public uint ClientId { get; }

    /// <summary>Cancelled when the session closes, so admission and answering stop early.</summary>
    public CancellationToken Closing => _cancellation.Token;

    public bool IsOpen
    {
        get
        {
            lock (_gate)
            {
                return _state != ClientSessionState.Closed;
            }
        }
    }

    /// <summary>Binds the peer connection; false when the session closed meanwhile (the caller disposes the peer).</summary>
    public bool TryAttachPeer(IPeerConnection peer)
    {
        lock (_gate)
        {
            if (_state == ClientSessionState.Closed)
            {
                return false;
            }

            _peer = peer;
            _state = ClientSessionState.Answering;
            _announced = true;
            peer.LocalCandidate += OnLocalCandidate;
            peer.Closed += OnPeerClosed;
            return true;
        }
    }

    /// <summary>Queues the answer, then the held local candidates, then hands the held remote candidates to the peer.</summary>
    public AnswerOutcome TryCompleteAnswer(string answerSdp)
    {
        lock (_gate)
        {
            if (_state != ClientSessionState.Answering || _peer is null)
            {
                return AnswerOutcome.SessionClosed;
            }

            if (!_host.TrySend(new AnswerToClient(ClientId, answerSdp)))
            {
                return AnswerOutcome.SendFailed;
            }

            _state = ClientSessionState.Connected;
            foreach (var candidate in _pendingLocal)
            {
                _host.TrySend(new IceCandidateToClient(ClientId, candidate));
            }

            _pendingLocal.Clear();
            while (_pendingRemote.TryDequeue(out var candidate))
            {
                DeliverRemote(_peer, candidate);
            }

            return AnswerOutcome.Sent;
        }
    }

    /// <summary>A candidate the client sent: delivered now, held until the answer, or dropped when over the bound.</summary>
    public void OnRemoteCandidate(IceCandidate? candidate)
    {
        lock (_gate)
        {
            switch (_state)
            {
                case ClientSessionState.Connected:
                    DeliverRemote(_peer!, candidate);
                    break;
                case ClientSessionState.Closed:
                    _host.CandidateDropped(ClientId, "session_closed");
                    break;
                default:
                    if (_pendingRemote.Count >= _maxPending)
                    {
                        _host.CandidateDropped(ClientId, "remote_queue_full");
                    }
                    else
                    {
                        _pendingRemote.Enqueue(candidate);
                    }

                    break;
            }
        }
    }

    /// <summary>Marks the session closed and returns what the caller must clean up; only the first call gets wasOpen.</summary>
    public (bool WasOpen, IPeerConnection? Peer, bool Announced) Close()
    {
        IPeerConnection? peer;
        bool announced;
        lock (_gate)
        {
            if (_state == ClientSessionState.Closed)
            {
                return (false, null, false);
            }

            _state = ClientSessionState.Closed;
            peer = _peer;
            announced = _announced;
            _pendingLocal.Clear();
            _pendingRemote.Clear();
            if (peer is not null)
            {
                peer.LocalCandidate -= OnLocalCandidate;
                peer.Closed -= OnPeerClosed;
            }
        }

        _cancellation.Cancel();
        return (true, peer, announced);
    }

    public void Dispose() => _cancellation.Dispose();

    private void OnLocalCandidate(object? sender, LocalCandidateEventArgs e)
    {
        lock (_gate)
        {
            switch (_state)
            {
                case ClientSessionState.Connected:
                    _host.TrySend(new IceCandidateToClient(ClientId, e.Candidate));
                    break;
                case ClientSessionState.Closed:
                    break;
                default:
                    if (_pendingLocal.Count >= _maxPending)
                    {
                        _host.CandidateDropped(ClientId, "local_queue_full");
                    }
                    else
                    {
                        _pendingLocal.Add(e.Candidate);
                    }

                    break;
            }
        }
    }

    private void OnPeerClosed(object? sender, EventArgs e) => _host.PeerClosed(this);

    private void DeliverRemote(IPeerConnection peer, IceCandidate? candidate)
    {
        try
        {
            peer.AddRemoteCandidate(candidate);
        }
        catch (Exception e)
        {
            // Whatever the WebRTC stack throws for one candidate must not end the receive loop that called us.
            _host.RemoteCandidateFailed(ClientId, e);
        }
    }
}
