namespace Enslavism.Signaling;

/// <summary>
/// Type 9, slave → master: <c>[9][ClientId u32][sdpMid length u8][sdpMid][sdpMLineIndex u16][candidate text]</c>.
/// A null <see cref="Candidate"/> (end of candidates) is written as sdpMid length 0 with nothing after it.
/// </summary>
public sealed record IceCandidateToClient(uint ClientId, IceCandidate? Candidate) : RoutedSignalingMessage(ClientId)
{
    public override SignalingMessageType Type => SignalingMessageType.IceCandidateToClient;
}
