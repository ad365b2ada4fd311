namespace Enslavism.Signaling;

/// <summary>Type 4, master → slave: <c>[4][ClientId u32][SDP text, UTF-8, to the end of the frame]</c>.</summary>
public sealed record OfferFromClient(uint ClientId, string Sdp) : RoutedSignalingMessage(ClientId)
{
    public override SignalingMessageType Type => SignalingMessageType.OfferFromClient;
}
