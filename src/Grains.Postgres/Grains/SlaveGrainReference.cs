using Enslavism.Signaling;

namespace Enslavism.Grains.Postgres.Grains;

/// <summary>
/// A slave by id, wherever it is: calls for a slave attached here go to its local grain; a delivery for a slave held
/// elsewhere is relayed to its node. Attaching or registering through a reference makes this node the slave's holder.
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

    public ValueTask AttachAsync(ISlaveEndpoint endpoint) => _factory.GetOrAddLocalSlave(_id).AttachAsync(endpoint);

    public ValueTask RegisterAsync(JsonUserData userData) => _factory.GetOrAddLocalSlave(_id).RegisterAsync(userData);

    public ValueTask<bool> DeliverFromClientAsync(uint fromClientId, SignalingMessage message) =>
        _factory.TryGetLocalSlave(_id, out var local)
            ? local.DeliverFromClientAsync(message)
            : _factory.RelayAsync(Relay.RelayTarget.Slave, _id, fromClientId, message);

    public ValueTask DetachAsync() => _factory.DetachLocalSlaveAsync(_id);
}
