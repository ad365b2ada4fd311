namespace Enslavism.Signaling;

/// <summary>Type 0, slave → master: <c>[0][user data JSON]</c>. The slave appears in the list only after this.</summary>
public sealed record Register(JsonUserData UserData) : SignalingMessage
{
    public override SignalingMessageType Type => SignalingMessageType.Register;
}
