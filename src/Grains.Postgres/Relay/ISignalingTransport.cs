using System.Threading.Channels;

namespace Enslavism.Grains.Postgres.Relay;

/// <summary>
/// Carries signaling between master nodes, at most once and in order per sending node. The PostgreSQL implementation
/// uses one NOTIFY channel per node; a direct node-to-node WebSocket mesh can replace it behind this interface.
/// </summary>
public interface ISignalingTransport
{
    /// <summary>Queues a message for node <paramref name="nodeId"/>. False (and counted) when it was dropped.</summary>
    bool TrySend(long nodeId, RelayEnvelope envelope);

    /// <summary>Messages other nodes sent to this node, in arrival order.</summary>
    ChannelReader<RelayEnvelope> Incoming { get; }
}
