namespace Enslavism.Signaling;

/// <summary>
/// Type 7, client → master: <c>[7][SlaveId u32][sdpMid length u8][sdpMid][sdpMLineIndex u16][candidate text]</c>.
/// A null <see cref="Candidate"/> (end of candidates) is written as sdpMid length 0 with nothing after it.
/// </summary>
public sealed record IceCandidateToSlave(uint SlaveId, IceCandidate? Candidate) : RoutedSignalingMessage(SlaveId)
{
    public override SignalingMessageType Type => SignalingMessageType.IceCandidateToSlave;
}
