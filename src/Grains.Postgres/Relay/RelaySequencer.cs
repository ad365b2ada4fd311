using Enslavism.Grains.Postgres.Diagnostics;

namespace Enslavism.Grains.Postgres.Relay;

/// <summary>
/// Numbers outgoing messages per destination node (1, 2, 3, …) and turns them into NOTIFY payloads. Used only by the
/// single sender loop, so it needs no locking.
/// </summary>
internal sealed class RelaySequencer
{
    /// <summary>Destinations remembered before the map is reset; nodes come and go, but only a handful at a time.</summary>
    internal const int MaxTrackedNodes = 1024;

    private readonly ClusterNodeContext _context;
    private readonly Dictionary<long, long> _lastSent = [];
    private long _highWater;
    private long _floor;

    public RelaySequencer(ClusterNodeContext context) => _context = context;

    /// <summary>Prepares a batch; frames over <see cref="PostgresClusterOptions.MaxRelayFrameBytes"/> are dropped and counted.</summary>
    public List<RelayNotification> Prepare(List<(long Node, RelayEnvelope Envelope)> batch)
    {
        var prepared = new List<RelayNotification>(batch.Count);
        foreach (var (node, envelope) in batch)
        {
            var bytes = envelope.Serialize();
            if (bytes.Length > _context.Options.MaxRelayFrameBytes)
            {
                _context.Metrics.RelayDropped(RelayDropReason.TooLarge);
                continue;
            }

            var sequence = Next(node);
            var inline = RelayPayload.Prefix(isRow: false, _context.NodeId, sequence) + Convert.ToBase64String(bytes);
            prepared.Add(inline.Length <= NotifySignalingTransport.MaxNotifyPayloadBytes
                ? new RelayNotification(node, inline, bytes, "")
                : new RelayNotification(node, null, bytes, RelayPayload.Prefix(isRow: true, _context.NodeId, sequence)));
        }

        return prepared;
    }

    private long Next(long node)
    {
        if (!_lastSent.TryGetValue(node, out var last))
        {
            if (_lastSent.Count >= MaxTrackedNodes)
            {
                // Restarting above every number used so far: a receiver may see a gap, never a false repeat.
                _lastSent.Clear();
                _floor = _highWater;
            }

            last = _floor;
        }

        var next = last + 1;
        _lastSent[node] = next;
        _highWater = Math.Max(_highWater, next);
        return next;
    }
}
