using Enslavism.SlaveHost.PeerConnections;

namespace Enslavism.SlaveHost;

/// <summary>
/// An offer was admitted and its peer connection created. Raised before the answer is computed, so handlers can attach to
/// the peer connection's events (data channels) before the client can possibly connect.
/// </summary>
public sealed class ClientAcceptedEventArgs(uint clientId, IPeerConnection peerConnection) : EventArgs
{
    public uint ClientId { get; } = clientId;

    public IPeerConnection PeerConnection { get; } = peerConnection;
}
