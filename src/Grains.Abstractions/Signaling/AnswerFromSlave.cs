namespace Enslavism.Signaling;

/// <summary>Type 6, master → client: <c>[6][SlaveId u32][SDP text, UTF-8, to the end of the frame]</c>.</summary>
public sealed record AnswerFromSlave(uint SlaveId, string Sdp) : RoutedSignalingMessage(SlaveId)
{
    public override SignalingMessageType Type => SignalingMessageType.AnswerFromSlave;
}
