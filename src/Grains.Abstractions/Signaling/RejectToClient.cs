namespace Enslavism.Signaling;

/// <summary>Type 11, slave → master: <c>[11][client id u32]</c>, the slave refuses that client's offer.</summary>
public sealed record RejectToClient(uint ClientId) : RoutedSignalingMessage(ClientId)
{
    public override SignalingMessageType Type => SignalingMessageType.RejectToClient;
}
