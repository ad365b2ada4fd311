using System.Diagnostics.Metrics;

namespace Enslavism.Grains.Postgres.Diagnostics;

/// <summary>Meter <c>Enslavism.Cluster</c>: change-feed lag and resyncs, cross-node relay counts, evictions.</summary>
public sealed class ClusterMetrics
{
    public const string MeterName = "Enslavism.Cluster";

    private readonly Counter<long> _relaySent;
    private readonly Counter<long> _relayReceived;
    private readonly Counter<long> _relayDropped;
    private readonly Counter<long> _relayGaps;
    private readonly Counter<long> _relayDuplicates;
    private readonly Counter<long> _resyncs;
    private readonly Counter<long> _changesApplied;
    private readonly Counter<long> _evictions;
    private readonly Counter<long> _reconnects;
    private readonly Histogram<double> _changeLag;
    private long _relaySentTotal;
    private long _relayDroppedTotal;
    private long _relayReceivedTotal;
    private long _relayGapsTotal;
    private long _relayDuplicatesTotal;

    public ClusterMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _relaySent = meter.CreateCounter<long>("enslavism.cluster.relay.sent", "{message}", "Signaling messages sent to other nodes.");
        _relayReceived = meter.CreateCounter<long>("enslavism.cluster.relay.received", "{message}", "Signaling messages received from other nodes.");
        _relayDropped = meter.CreateCounter<long>("enslavism.cluster.relay.dropped", "{message}", "Cross-node signaling messages dropped, by reason.");
        _relayGaps = meter.CreateCounter<long>("enslavism.cluster.relay.gaps", "{message}", "Cross-node messages another node sent here that never arrived (sequence gaps).");
        _relayDuplicates = meter.CreateCounter<long>("enslavism.cluster.relay.duplicates", "{message}", "Cross-node messages received twice (a retried batch that had committed) and ignored.");
        _resyncs = meter.CreateCounter<long>("enslavism.cluster.feed.resyncs", "{resync}", "Snapshot resyncs after a gap, pruned log or reconnect.");
        _changesApplied = meter.CreateCounter<long>("enslavism.cluster.feed.applied", "{change}", "Slave-list changes applied from the change log.");
        _evictions = meter.CreateCounter<long>("enslavism.cluster.nodes.evicted", "{node}", "Nodes this node's janitor evicted.");
        _reconnects = meter.CreateCounter<long>("enslavism.cluster.backplane.reconnects", "{reconnect}", "Backplane sessions started after a loss.");
        _changeLag = meter.CreateHistogram<double>("enslavism.cluster.feed.lag", "s", "Time from a change's commit to its application on this node.");
        meter.CreateObservableGauge("enslavism.cluster.feed.pending", () => PendingChanges, "{change}", "Changes announced but not yet applied on this node.");
        meter.CreateObservableGauge("enslavism.cluster.backplane.connected", () => Connected ? 1 : 0, description: "1 while the node holds a live backplane session.");
    }

    /// <summary>Changes announced by NOTIFY beyond the applied cursor.</summary>
    public long PendingChanges { get; set; }

    public bool Connected { get; set; }

    public long RelaySentTotal => Interlocked.Read(ref _relaySentTotal);

    public long RelayDroppedTotal => Interlocked.Read(ref _relayDroppedTotal);

    public long RelayReceivedTotal => Interlocked.Read(ref _relayReceivedTotal);

    public long RelayGapsTotal => Interlocked.Read(ref _relayGapsTotal);

    public long RelayDuplicatesTotal => Interlocked.Read(ref _relayDuplicatesTotal);

    public void RelaySent(string path)
    {
        Interlocked.Increment(ref _relaySentTotal);
        _relaySent.Add(1, new KeyValuePair<string, object?>("path", path));
    }

    public void RelayReceived()
    {
        Interlocked.Increment(ref _relayReceivedTotal);
        _relayReceived.Add(1);
    }

    public void RelayDropped(RelayDropReason reason, int count = 1)
    {
        Interlocked.Add(ref _relayDroppedTotal, count);
        _relayDropped.Add(count, new KeyValuePair<string, object?>("reason", reason.ToString()));
    }

    public void RelayGap(long missing)
    {
        Interlocked.Add(ref _relayGapsTotal, missing);
        _relayGaps.Add(missing);
    }

    public void RelayDuplicate()
    {
        Interlocked.Increment(ref _relayDuplicatesTotal);
        _relayDuplicates.Add(1);
    }

    public void Resynced() => _resyncs.Add(1);

    public void ChangeApplied(double lagSeconds)
    {
        _changesApplied.Add(1);
        _changeLag.Record(Math.Max(0, lagSeconds));
    }

    public void Evicted(int count) => _evictions.Add(count);

    public void Reconnected() => _reconnects.Add(1);
}
