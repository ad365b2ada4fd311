using Enslavism.SlaveHost.PeerConnections;
using Enslavism.Signaling;
using Enslavism.WebRtc.Host;
using Enslavism.WebRtc.Session;
using Microsoft.Extensions.Logging;

namespace Enslavism.SlaveHost.WebRtcHosting;

/// <summary>
/// <see cref="IPeerConnection"/> on a shared <see cref="WebRtcEndpoint"/>. The endpoint is ICE-lite: the answer already
/// carries all our host candidates and <c>a=end-of-candidates</c>, so nothing is trickled, not even the null
/// end-of-candidates marker (the Enslavism 0.9 browser bundle throws on it), and the client's candidates are not needed
/// (its address is learnt from its connectivity checks).
/// </summary>
internal sealed class WebRtcClientPeer : IPeerConnection
{
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(2);

    private readonly WebRtcEndpoint _endpoint;
    private readonly Action<WebRtcClientPeer> _released;
    private readonly Lock _gate = new();
    private PeerConnection? _peer;
    private bool _disposed;

    public WebRtcClientPeer(uint clientId, WebRtcEndpoint endpoint, Action<WebRtcClientPeer> released, ILogger clientLogger)
    {
        _endpoint = endpoint;
        _released = released;
        Client = new ClientConnection(clientId, clientLogger);
    }

    public ClientConnection Client { get; }

    // Never raised: see the class summary. Explicit accessors because a never-raised field-like event is a warning.
    public event EventHandler<LocalCandidateEventArgs>? LocalCandidate
    {
        add { }
        remove { }
    }

    public event EventHandler? Closed;

    public async Task<string> AcceptOfferAsync(string offerSdp, CancellationToken cancellationToken)
    {
        var (answer, peer) = await _endpoint.AcceptOfferAsync(offerSdp, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (!_disposed)
            {
                _peer = peer;
            }
        }

        if (_peer is null || Client.IsClosed)
        {
            // Released (or closed by the application) while the endpoint was answering: the session must not outlive
            // its owner; throwing makes the signaling client reject the offer and release the session.
            peer.Abort("released before the answer");
            throw new ObjectDisposedException(nameof(WebRtcClientPeer));
        }

        Client.Attach(peer);
        // WhenClosed, not the event: the session may have ended before we subscribed.
        _ = peer.WhenClosed.ContinueWith(
            static (task, state) => ((WebRtcClientPeer)state!).OnSessionClosed(task.Result),
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously | TaskContinuationOptions.OnlyOnRanToCompletion,
            TaskScheduler.Default);
        return answer;
    }

    public void AddRemoteCandidate(IceCandidate? candidate)
    {
        // ICE-lite: a remote candidate adds nothing; the client's checks tell us where it is.
    }

    public async ValueTask DisposeAsync()
    {
        PeerConnection? peer;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            peer = _peer;
        }

        if (peer is not null && !peer.WhenClosed.IsCompleted)
        {
            peer.Abort("released by the slave");
            try
            {
                await peer.WhenClosed.WaitAsync(CloseWait).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The endpoint is stuck or disposed; the client is reported closed regardless.
            }
        }

        // If the session ended by itself first, its own reason wins (the release may race with that report).
        if (peer is not null && peer.WhenClosed.IsCompletedSuccessfully)
        {
            Client.OnSessionClosed(peer.WhenClosed.Result);
        }

        Client.Complete(ClientCloseReason.ClosedBySlave, "released by the slave");
        _released(this);
    }

    private void OnSessionClosed(SessionClosed closed)
    {
        // The client learns why first, then the signaling client releases the session.
        Client.OnSessionClosed(closed);
        bool disposed;
        lock (_gate)
        {
            disposed = _disposed;
        }

        if (!disposed)
        {
            Closed?.Invoke(this, EventArgs.Empty);
        }
    }
}
