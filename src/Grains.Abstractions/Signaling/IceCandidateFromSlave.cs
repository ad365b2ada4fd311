namespace Enslavism.Signaling;

/// <summary>
/// Type 10, master → client: <c>[10][SlaveId u32][sdpMid length u8][sdpMid][sdpMLineIndex u16][candidate text]</c>.
/// A null <see cref="Candidate"/> (end of candidates) is written as sdpMid length 0 with nothing after it.
/// </summary>
public sealed record IceCandidateFromSlave(uint SlaveId, IceCandidate? Candidate) : RoutedSignalingMessage(SlaveId)
{
    public override SignalingMessageType Type => SignalingMessageType.IceCandidateFromSlave;
}
