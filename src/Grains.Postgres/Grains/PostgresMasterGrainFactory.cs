using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Enslavism.Grains.Postgres.Diagnostics;
using Enslavism.Grains.Postgres.Ids;
using Enslavism.Grains.Postgres.Registry;
using Enslavism.Grains.Postgres.Relay;
using Enslavism.Signaling;
using Microsoft.Extensions.Logging;

namespace Enslavism.Grains.Postgres.Grains;

/// <summary>
/// The cluster's grain factory: local grains for the slaves and clients whose sockets are on this node, references
/// that relay through <see cref="ISignalingTransport"/> for the others, and the node's replica as the registry.
/// </summary>
internal sealed partial class PostgresMasterGrainFactory : IMasterGrainFactory
{
    private readonly ClusterNodeContext _context;
    private readonly ISlaveRegistryGrain _registry;
    private readonly ISignalingTransport _transport;
    private readonly RouteTable _routes;
    private readonly PostgresIdAllocatorGrain _slaveIds;
    private readonly PostgresIdAllocatorGrain _clientIds;
    private readonly ConcurrentDictionary<uint, LocalSlaveGrain> _slaves = new();
    private readonly ConcurrentDictionary<uint, LocalClientSessionGrain> _clients = new();

    public PostgresMasterGrainFactory(
        ClusterNodeContext context, ISlaveRegistryGrain registry, ISignalingTransport transport, RouteTable routes, OwnedIds ids)
    {
        _context = context;
        _registry = registry;
        _transport = transport;
        _routes = routes;
        _slaveIds = new PostgresIdAllocatorGrain(context, ids, EntityKind.Slave);
        _clientIds = new PostgresIdAllocatorGrain(context, ids, EntityKind.Client);
    }

    public int LocalSlaveCount => _slaves.Count;

    public int LocalClientCount => _clients.Count;

    public ISlaveRegistryGrain GetSlaveRegistry() => _registry;

    public IIdAllocatorGrain GetIdAllocator(EntityKind kind) => kind switch
    {
        EntityKind.Slave => _slaveIds,
        EntityKind.Client => _clientIds,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public ISlaveGrain GetSlave(uint slaveId) => new SlaveGrainReference(slaveId, this);

    public IClientSessionGrain GetClientSession(uint clientId) => new ClientSessionGrainReference(clientId, this);

    /// <summary>One activation per id, as in the in-memory runtime: attaching twice is a caller bug.</summary>
    internal void AttachLocalSlave(uint id, ISlaveEndpoint endpoint)
    {
        if (!_slaves.TryAdd(id, new LocalSlaveGrain(id, endpoint, _registry, _slaveIds)))
        {
            throw new InvalidOperationException($"Slave {id} is already attached.");
        }
    }

    internal bool TryGetLocalSlave(uint id, [NotNullWhen(true)] out LocalSlaveGrain? grain) => _slaves.TryGetValue(id, out grain);

    internal void AttachLocalClient(uint id, IClientEndpoint endpoint)
    {
        if (!_clients.TryAdd(id, new LocalClientSessionGrain(id, endpoint, _clientIds)))
        {
            throw new InvalidOperationException($"Client {id} is already attached.");
        }
    }

    internal bool TryGetLocalClient(uint id, [NotNullWhen(true)] out LocalClientSessionGrain? grain) => _clients.TryGetValue(id, out grain);

    internal async ValueTask DetachLocalSlaveAsync(uint id)
    {
        if (_slaves.TryRemove(id, out var grain))
        {
            await grain.DetachAsync();
        }
    }

    internal async ValueTask DetachLocalClientAsync(uint id)
    {
        if (_clients.TryRemove(id, out var grain))
        {
            await grain.DetachAsync();
        }
    }

    /// <summary>Relays to the node holding the destination. True when queued; false (counted) when there is no route.</summary>
    internal async ValueTask<bool> RelayAsync(RelayTarget target, uint targetId, uint fromId, SignalingMessage message)
    {
        var kind = target == RelayTarget.Slave ? EntityKind.Slave : EntityKind.Client;
        var node = await _routes.ResolveAsync(kind, targetId);
        if (node is not { } nodeId || nodeId == _context.NodeId)
        {
            // Either nobody holds the id, or this node does but the entity already detached.
            _context.Metrics.RelayDropped(node is null ? RelayDropReason.NoRoute : RelayDropReason.DestinationGone);
            return false;
        }

        return _transport.TrySend(nodeId, new RelayEnvelope(target, targetId, fromId, message));
    }

    /// <summary>Delivers messages other nodes relayed here until the transport completes.</summary>
    internal async Task RunDispatcherAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var envelope in _transport.Incoming.ReadAllAsync(cancellationToken))
            {
                var delivered = envelope.Target switch
                {
                    RelayTarget.Slave when _slaves.TryGetValue(envelope.TargetId, out var slave) =>
                        await slave.DeliverFromClientAsync(envelope.Message),
                    RelayTarget.Client when _clients.TryGetValue(envelope.TargetId, out var client) =>
                        await client.DeliverFromSlaveAsync(envelope.Message),
                    _ => false,
                };
                if (!delivered)
                {
                    _context.Metrics.RelayDropped(RelayDropReason.DestinationGone);
                    Log.DestinationGone(_context.Logger, envelope.Target, envelope.TargetId);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Dropped a relayed message for {Target} {Id}: not held by this node")]
        public static partial void DestinationGone(ILogger logger, RelayTarget target, uint id);
    }
}
