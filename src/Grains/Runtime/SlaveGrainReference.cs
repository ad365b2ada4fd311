using Enslavism.Signaling;

namespace Enslavism.Grains.Runtime;

/// <summary>
/// A reference to slave grain <see cref="Id"/>. Only <see cref="AttachAsync"/> creates an activation: a call for an id
/// nobody attached (a peer naming a slave that does not exist) finds nothing and returns false, leaking no state.
/// </summary>
internal sealed class SlaveGrainReference(InMemoryGrainRuntime runtime, uint id) : ISlaveGrain
{
    public uint Id { get; } = id;

    public ValueTask AttachAsync(ISlaveEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        runtime.ActivateSlave(Id, endpoint);
        return ValueTask.CompletedTask;
    }

    public ValueTask RegisterAsync(JsonUserData userData)
    {
        ArgumentNullException.ThrowIfNull(userData);
        return runtime.TryGetSlave(Id, out var activation)
            ? activation.RegisterAsync(userData)
            : throw new InvalidOperationException($"Slave {Id} is not attached.");
    }

    public ValueTask<bool> DeliverFromClientAsync(uint fromClientId, SignalingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return runtime.TryGetSlave(Id, out var activation) ? activation.DeliverAsync(message) : ValueTask.FromResult(false);
    }

    public ValueTask DetachAsync() =>
        runtime.TryGetSlave(Id, out var activation) ? activation.DetachAsync() : ValueTask.CompletedTask;
}
