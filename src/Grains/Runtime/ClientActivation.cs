using Enslavism.Signaling;

namespace Enslavism.Grains.Runtime;

/// <summary>The state and turns of one client-session grain activation.</summary>
internal sealed class ClientActivation
{
    private readonly GrainMailbox _mailbox = new();
    private readonly InMemoryGrainRuntime _runtime;
    private readonly IClientEndpoint _endpoint;
    private bool _detached;

    public ClientActivation(InMemoryGrainRuntime runtime, uint id, IClientEndpoint endpoint)
    {
        _runtime = runtime;
        Id = id;
        _endpoint = endpoint;
    }

    public uint Id { get; }

    public ValueTask<bool> DeliverAsync(SignalingMessage message) => _mailbox.RunAsync(
        () => _detached ? ValueTask.FromResult(false) : _endpoint.DeliverAsync(message));

    public ValueTask DetachAsync() => _mailbox.RunAsync(async () =>
    {
        if (_detached)
        {
            return;
        }

        _detached = true;
        _runtime.RemoveActivation(this);
        await _runtime.GetIdAllocator(EntityKind.Client).ReleaseAsync(Id).ConfigureAwait(false);
    });
}
