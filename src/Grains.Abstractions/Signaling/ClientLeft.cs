namespace Enslavism.Signaling;

/// <summary>
/// Type 15, master → slave, protocol version 2 only: <c>[15][client id u32]</c>. The client's WebSocket closed, so the
/// slave can free that client's peer connection without waiting for WebRTC to time out.
/// </summary>
public sealed record ClientLeft(uint ClientId) : RoutedSignalingMessage(ClientId)
{
    public override SignalingMessageType Type => SignalingMessageType.ClientLeft;
}
