using Enslavism.SlaveHost.PeerConnections;

namespace Enslavism.SlaveHost;

/// <summary>Why a client session ended and its peer connection was disposed.</summary>
public enum ClientReleaseReason
{
    /// <summary>The peer connection raised <see cref="IPeerConnection.Closed"/>.</summary>
    PeerClosed,

    /// <summary>The same client id sent a new offer; the old peer connection was closed in favour of the new one.</summary>
    Replaced,

    /// <summary>The peer connection could not produce an answer (it threw, or the answer timeout passed); the client was rejected.</summary>
    AnswerFailed,

    /// <summary>The answer could not be queued to the master (outgoing queue full or connection gone).</summary>
    SignalingFailed,

    /// <summary>The slave's connection to the master ended (disposed or lost).</summary>
    SlaveDisconnected,

    /// <summary>Protocol version 2: the master reported that the client's WebSocket closed (ClientLeft).</summary>
    ClientLeft,
}

/// <summary>A client session that was announced by <see cref="SlaveConnection.ClientAccepted"/> has ended.</summary>
public sealed class ClientReleasedEventArgs(uint clientId, IPeerConnection peerConnection, ClientReleaseReason reason) : EventArgs
{
    public uint ClientId { get; } = clientId;

    public IPeerConnection PeerConnection { get; } = peerConnection;

    public ClientReleaseReason Reason { get; } = reason;
}
