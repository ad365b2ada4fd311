namespace Enslavism.SlaveHost.PeerConnections;

/// <summary>Creates the peer connection for an accepted offer. Implemented by the WebRTC stack (and by test doubles).</summary>
public interface IPeerConnectionFactory
{
    /// <summary>
    /// Creates a peer connection for the client with this id. The id is the master's name for the client on this slave
    /// connection only; it is not an identity and may be reused after the client leaves.
    /// </summary>
    IPeerConnection CreatePeerConnection(uint clientId);
}
