using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Enslavism.Grains.Runtime;
using Microsoft.Extensions.Options;

namespace Enslavism.Grains;

/// <summary>
/// The single-process grain runtime: one activation per key, each with single-threaded turns; calls to different
/// activations run concurrently. Slave and client activations exist from attach to detach.
/// </summary>
public sealed class InMemoryGrainRuntime : IMasterGrainFactory
{
    private readonly ConcurrentDictionary<uint, SlaveActivation> _slaves = new();
    private readonly ConcurrentDictionary<uint, ClientActivation> _clients = new();
    private readonly InMemoryIdAllocator _slaveIds;
    private readonly InMemoryIdAllocator _clientIds;

    public InMemoryGrainRuntime(IOptions<InMemoryGrainOptions> options, TimeProvider time)
        : this(options?.Value ?? throw new ArgumentNullException(nameof(options)), time)
    {
    }

    public InMemoryGrainRuntime(InMemoryGrainOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        time ??= TimeProvider.System;
        Registry = new InMemorySlaveRegistry(options);
        _slaveIds = new InMemoryIdAllocator(options, time);
        _clientIds = new InMemoryIdAllocator(options, time);
    }

    internal InMemorySlaveRegistry Registry { get; }

    /// <summary>Number of live slave activations (attached, not yet detached).</summary>
    public int SlaveActivationCount => _slaves.Count;

    /// <summary>Number of live client-session activations.</summary>
    public int ClientActivationCount => _clients.Count;

    public ISlaveRegistryGrain GetSlaveRegistry() => Registry;

    public IIdAllocatorGrain GetIdAllocator(EntityKind kind) => kind switch
    {
        EntityKind.Slave => _slaveIds,
        EntityKind.Client => _clientIds,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown entity kind."),
    };

    public ISlaveGrain GetSlave(uint slaveId) => new SlaveGrainReference(this, slaveId);

    public IClientSessionGrain GetClientSession(uint clientId) => new ClientSessionGrainReference(this, clientId);

    internal void ActivateSlave(uint id, ISlaveEndpoint endpoint)
    {
        if (!_slaves.TryAdd(id, new SlaveActivation(this, id, endpoint)))
        {
            throw new InvalidOperationException($"Slave {id} is already attached.");
        }
    }

    internal void ActivateClient(uint id, IClientEndpoint endpoint)
    {
        if (!_clients.TryAdd(id, new ClientActivation(this, id, endpoint)))
        {
            throw new InvalidOperationException($"Client {id} is already attached.");
        }
    }

    internal bool TryGetSlave(uint id, [NotNullWhen(true)] out SlaveActivation? activation) =>
        _slaves.TryGetValue(id, out activation);

    internal bool TryGetClient(uint id, [NotNullWhen(true)] out ClientActivation? activation) =>
        _clients.TryGetValue(id, out activation);

    internal void RemoveActivation(SlaveActivation activation) =>
        _slaves.TryRemove(new KeyValuePair<uint, SlaveActivation>(activation.Id, activation));

    internal void RemoveActivation(ClientActivation activation) =>
        _clients.TryRemove(new KeyValuePair<uint, ClientActivation>(activation.Id, activation));
}
