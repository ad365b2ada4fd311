namespace Enslavism.Signaling;

/// <summary>Type 12, master → client: <c>[12][slave id u32]</c>, the slave refused the client's offer.</summary>
public sealed record RejectFromSlave(uint SlaveId) : RoutedSignalingMessage(SlaveId)
{
    public override SignalingMessageType Type => SignalingMessageType.RejectFromSlave;
}
