using Enslavism.Grains.Postgres.Diagnostics;

namespace Enslavism.Grains.Postgres.Relay;

/// <summary>
/// Remembers the last sequence number received from each sending node: repeats (a retried batch that had in fact
/// committed) are dropped, and jumps are counted as lost messages. Used only by the single receive loop.
/// </summary>
internal sealed class RelaySequenceTracker
{
    private readonly ClusterMetrics _metrics;
    private readonly Dictionary<long, long> _lastReceived = [];

    public RelaySequenceTracker(ClusterMetrics metrics) => _metrics = metrics;

    /// <summary>False when the message was already received and must be ignored.</summary>
    public bool Accept(long sender, long sequence)
    {
        if (_lastReceived.TryGetValue(sender, out var last))
        {
            if (sequence <= last)
            {
                _metrics.RelayDuplicate();
                return false;
            }

            if (sequence > last + 1)
            {
                _metrics.RelayGap(sequence - last - 1);
            }
        }
        else if (_lastReceived.Count >= RelaySequencer.MaxTrackedNodes)
        {
            // Bounded: forgetting senders only means their next message is taken as it comes.
            _lastReceived.Clear();
        }

        // A sender seen for the first time is taken as it comes: this node may have joined after it started sending.
        _lastReceived[sender] = sequence;
        return true;
    }
}
