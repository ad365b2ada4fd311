using Enslavism.Signaling;

namespace Enslavism.Grains.Postgres.Grains;

/// <summary>
/// A slave by id, wherever it is. Only <see cref="AttachAsync"/> creates a local grain (this node holds the socket);
/// a delivery for a slave not held here is relayed to the node that holds its id.
/// </summary>
internal sealed class SlaveGrainReference : ISlaveGrain
{
    private readonly uint _id;
    private readonly PostgresMasterGrainFactory _factory;

    public SlaveGrainReference(uint id, PostgresMasterGrainFactory factory)
    {
        _id = id;
        _factory = factory;
    }

    public ValueTask AttachAsync(ISlaveEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _factory.AttachLocalSlave(_id, endpoint);
        return ValueTask.CompletedTask;
    }

    public ValueTask RegisterAsync(JsonUserData userData)
    {
        ArgumentNullException.ThrowIfNull(userData);
        return _factory.TryGetLocalSlave(_id, out var local)
            ? local.RegisterAsync(userData)
            : throw new InvalidOperationException($"Slave {_id} is not attached on this node.");
    }

    public ValueTask<bool> DeliverFromClientAsync(uint fromClientId, SignalingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _factory.TryGetLocalSlave(_id, out var local)
            ? local.DeliverFromClientAsync(message)
            : _factory.RelayAsync(Relay.RelayTarget.Slave, _id, fromClientId, message);
    }

    public ValueTask DetachAsync() => _factory.DetachLocalSlaveAsync(_id);
}
