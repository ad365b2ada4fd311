namespace Enslavism.Signaling;

/// <summary>
/// Type 16, master → slave, protocol version 2 only: <c>[16][client id u32][JSON object]</c>, sent before the first
/// <see cref="OfferFromClient"/> of that client to that slave. The object is
/// <c>{"auth": {cookie name: value, ...}, "address": "ip"}</c> (address omitted when unknown).
/// </summary>
public sealed record ClientInfo(uint ClientId, JsonUserData Info) : RoutedSignalingMessage(ClientId)
{
    public override SignalingMessageType Type => SignalingMessageType.ClientInfo;
}
