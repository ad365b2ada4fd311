namespace Enslavism.Signaling;

/// <summary>
/// One signaling frame of protocol version 1 (Enslavism 0.9 compatible). Each message type has its own sealed record;
/// encode and decode with <see cref="SignalingCodec"/>. Ids are always the *other* party's id as seen by the receiver
/// (or sender) of the frame: the master rewrites them when it relays.
/// </summary>
public abstract record SignalingMessage
{
    private protected SignalingMessage()
    {
    }

    /// <summary>The type byte of this message.</summary>
    public abstract SignalingMessageType Type { get; }
}

/// <summary>A message that names a peer (slave or client) by id and can be relayed by rewriting that id.</summary>
public abstract record RoutedSignalingMessage(uint PeerId) : SignalingMessage;
