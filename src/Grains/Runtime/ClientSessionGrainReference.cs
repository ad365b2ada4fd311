using Enslavism.Signaling;

namespace Enslavism.Grains.Runtime;

/// <summary>A reference to client-session grain <see cref="Id"/>; see <see cref="SlaveGrainReference"/>.</summary>
internal sealed class ClientSessionGrainReference(InMemoryGrainRuntime runtime, uint id) : IClientSessionGrain
{
    public uint Id { get; } = id;

    public ValueTask AttachAsync(IClientEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        runtime.ActivateClient(Id, endpoint);
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> DeliverFromSlaveAsync(uint fromSlaveId, SignalingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return runtime.TryGetClient(Id, out var activation) ? activation.DeliverAsync(message) : ValueTask.FromResult(false);
    }

    public ValueTask DetachAsync() =>
        runtime.TryGetClient(Id, out var activation) ? activation.DetachAsync() : ValueTask.CompletedTask;
}
