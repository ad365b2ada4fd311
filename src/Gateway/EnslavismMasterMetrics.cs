using System.Diagnostics.Metrics;
using Enslavism.Grains;
using Enslavism.Signaling;

namespace Enslavism.Gateway;

/// <summary>Instruments of the meter <see cref="MeterName"/>.</summary>
public sealed class EnslavismMasterMetrics
{
    public const string MeterName = "Enslavism.Master";

    private readonly UpDownCounter<long> _slaves;
    private readonly UpDownCounter<long> _clients;
    private readonly Counter<long> _relayed;
    private readonly Counter<long> _rejects;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _protocolErrors;
    private readonly Counter<long> _slowConsumers;
    private readonly Counter<long> _refusedUpgrades;

    public EnslavismMasterMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _slaves = meter.CreateUpDownCounter<long>("enslavism.master.slaves", "{connection}", "Connected slaves.");
        _clients = meter.CreateUpDownCounter<long>("enslavism.master.clients", "{connection}", "Connected clients.");
        _relayed = meter.CreateCounter<long>("enslavism.master.relayed_messages", "{message}", "Signaling messages relayed between peers.");
        _rejects = meter.CreateCounter<long>("enslavism.master.rejects", "{message}", "Offers rejected by slaves.");
        _dropped = meter.CreateCounter<long>("enslavism.master.dropped_frames", "{frame}", "Frames addressed to a peer that does not exist.");
        _protocolErrors = meter.CreateCounter<long>("enslavism.master.protocol_errors", "{connection}", "Peers closed for breaking the protocol.");
        _slowConsumers = meter.CreateCounter<long>("enslavism.master.slow_consumer_disconnects", "{connection}", "Peers closed because their send queue overflowed.");
        _refusedUpgrades = meter.CreateCounter<long>("enslavism.master.refused_upgrades", "{request}", "WebSocket upgrades refused (origin, auth, capacity).");
    }

    internal void ConnectionOpened(EntityKind kind) => (kind == EntityKind.Slave ? _slaves : _clients).Add(1);

    internal void ConnectionClosed(EntityKind kind) => (kind == EntityKind.Slave ? _slaves : _clients).Add(-1);

    internal void Relayed(SignalingMessageType type) =>
        _relayed.Add(1, new KeyValuePair<string, object?>("enslavism.message_type", type.ToString()));

    internal void Rejected() => _rejects.Add(1);

    internal void Dropped(SignalingMessageType type) =>
        _dropped.Add(1, new KeyValuePair<string, object?>("enslavism.message_type", type.ToString()));

    internal void ProtocolError(EntityKind kind) => _protocolErrors.Add(1, Tag(kind));

    internal void SlowConsumer(EntityKind kind) => _slowConsumers.Add(1, Tag(kind));

    internal void UpgradeRefused(EntityKind kind, int statusCode) =>
        _refusedUpgrades.Add(1, Tag(kind), new KeyValuePair<string, object?>("http.response.status_code", statusCode));

    private static KeyValuePair<string, object?> Tag(EntityKind kind) =>
        new("enslavism.peer_kind", kind == EntityKind.Slave ? "slave" : "client");
}
