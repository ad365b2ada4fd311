namespace Enslavism.Signaling;

/// <summary>Type 5, slave → master: <c>[5][ClientId u32][SDP text, UTF-8, to the end of the frame]</c>.</summary>
public sealed record AnswerToClient(uint ClientId, string Sdp) : RoutedSignalingMessage(ClientId)
{
    public override SignalingMessageType Type => SignalingMessageType.AnswerToClient;
}
