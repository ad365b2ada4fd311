using Enslavism.Signaling;

namespace Enslavism.Grains;

/// <summary>
/// Where a slave grain delivers signaling for its slave: the connection holding the slave's socket. Delivery must not
/// block on a slow peer; it returns false when the message could not be queued (the peer is gone or over its bound).
/// </summary>
public interface ISlaveEndpoint
{
    ValueTask<bool> DeliverAsync(SignalingMessage message);
}
