using Enslavism.Signaling;

namespace Enslavism.SlaveHost;

/// <summary>What a session needs from the connection that owns it.</summary>
internal interface ISessionHost
{
    bool TrySend(SignalingMessage message);

    void CandidateDropped(uint clientId, string reason);

    void RemoteCandidateFailed(uint clientId, Exception exception);

    void PeerClosed(ClientSession session);
}
