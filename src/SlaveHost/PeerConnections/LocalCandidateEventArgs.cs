using Enslavism.Signaling;

namespace Enslavism.SlaveHost.PeerConnections;

/// <summary>A local ICE candidate gathered by a peer connection; null is the end-of-candidates marker.</summary>
public sealed class LocalCandidateEventArgs(IceCandidate? candidate) : EventArgs
{
    public IceCandidate? Candidate { get; } = candidate;
}
