using Enslavism.Signaling;

namespace Enslavism.SlaveHost.PeerConnections;

/// <summary>
/// One WebRTC peer connection to one browser client, answering side. The signaling client drives it; the WebRTC stack
/// implements it. Implementations must be safe to call from any thread, and their events may be raised on any thread.
/// </summary>
/// <remarks>
/// Lifetime: created by <see cref="IPeerConnectionFactory"/> for one offer; <see cref="DisposeAsync"/> is called exactly
/// once by the signaling client when the session ends (peer closed, offer replaced, answer failed, or slave gone), so the
/// implementation must release its sockets and timers there and must not raise events after it returns.
/// </remarks>
public interface IPeerConnection : IAsyncDisposable
{
    /// <summary>
    /// A local ICE candidate to trickle to the client; <see cref="LocalCandidateEventArgs.Candidate"/> null means end of
    /// candidates. Candidates raised before <see cref="AcceptOfferAsync"/> completes are held back and sent after the answer,
    /// because a browser cannot add a candidate before it has the remote description.
    /// </summary>
    event EventHandler<LocalCandidateEventArgs>? LocalCandidate;

    /// <summary>The connection ended on its own (ICE failure, consent expiry, DTLS close, remote close). Raise at most once.</summary>
    event EventHandler? Closed;

    /// <summary>Applies the client's offer and returns the answer SDP. Throw to refuse the offer (the client gets a rejection).</summary>
    Task<string> AcceptOfferAsync(string offerSdp, CancellationToken cancellationToken);

    /// <summary>
    /// Adds a candidate from the client; null means end of candidates. Called only after <see cref="AcceptOfferAsync"/>
    /// completed, in the order the client sent them. Must not block: queue internally if work is needed.
    /// Throw <see cref="ArgumentException"/> or <see cref="FormatException"/> for a candidate that cannot be used;
    /// the signaling client logs it and keeps the session.
    /// </summary>
    void AddRemoteCandidate(IceCandidate? candidate);
}
