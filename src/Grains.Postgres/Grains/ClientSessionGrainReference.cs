using Enslavism.Signaling;

namespace Enslavism.Grains.Postgres.Grains;

/// <summary>A client session by id, wherever it is (see <see cref="SlaveGrainReference"/>).</summary>
internal sealed class ClientSessionGrainReference : IClientSessionGrain
{
    private readonly uint _id;
    private readonly PostgresMasterGrainFactory _factory;

    public ClientSessionGrainReference(uint id, PostgresMasterGrainFactory factory)
    {
        _id = id;
        _factory = factory;
    }

    public ValueTask AttachAsync(IClientEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _factory.AttachLocalClient(_id, endpoint);
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> DeliverFromSlaveAsync(uint fromSlaveId, SignalingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _factory.TryGetLocalClient(_id, out var local)
            ? local.DeliverFromSlaveAsync(message)
            : _factory.RelayAsync(Relay.RelayTarget.Client, _id, fromSlaveId, message);
    }

    public ValueTask DetachAsync() => _factory.DetachLocalClientAsync(_id);
}
