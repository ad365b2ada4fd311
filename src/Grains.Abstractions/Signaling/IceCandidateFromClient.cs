namespace Enslavism.Signaling;

/// <summary>
/// Type 8, master → slave: <c>[8][ClientId u32][sdpMid length u8][sdpMid][sdpMLineIndex u16][candidate text]</c>.
/// A null <see cref="Candidate"/> (end of candidates) is written as sdpMid length 0 with nothing after it.
/// </summary>
public sealed record IceCandidateFromClient(uint ClientId, IceCandidate? Candidate) : RoutedSignalingMessage(ClientId)
{
    public override SignalingMessageType Type => SignalingMessageType.IceCandidateFromClient;
}
