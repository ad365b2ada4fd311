namespace Enslavism.Signaling;

/// <summary>Type 3, client → master: <c>[3][SlaveId u32][SDP text, UTF-8, to the end of the frame]</c>.</summary>
public sealed record OfferToSlave(uint SlaveId, string Sdp) : RoutedSignalingMessage(SlaveId)
{
    public override SignalingMessageType Type => SignalingMessageType.OfferToSlave;
}
