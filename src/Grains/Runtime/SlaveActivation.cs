using Enslavism.Signaling;

namespace Enslavism.Grains.Runtime;

/// <summary>The state and turns of one slave grain activation.</summary>
internal sealed class SlaveActivation
{
    private readonly GrainMailbox _mailbox = new();
    private readonly InMemoryGrainRuntime _runtime;
    private readonly ISlaveEndpoint _endpoint;
    private bool _registered;
    private bool _detached;

    public SlaveActivation(InMemoryGrainRuntime runtime, uint id, ISlaveEndpoint endpoint)
    {
        _runtime = runtime;
        Id = id;
        _endpoint = endpoint;
    }

    public uint Id { get; }

    public ValueTask RegisterAsync(JsonUserData userData) => _mailbox.RunAsync(async () =>
    {
        if (_detached)
        {
            return;
        }

        await _runtime.Registry.AddAsync(new SlaveEntry(Id, userData)).ConfigureAwait(false);
        _registered = true;
    });

    /// <summary>Delivers to the slave; an unlisted slave (not registered yet, or gone) is not addressable.</summary>
    public ValueTask<bool> DeliverAsync(SignalingMessage message) => _mailbox.RunAsync(
        () => _detached || !_registered ? ValueTask.FromResult(false) : _endpoint.DeliverAsync(message));

    public ValueTask DetachAsync() => _mailbox.RunAsync(async () =>
    {
        if (_detached)
        {
            return;
        }

        _detached = true;
        if (_registered)
        {
            await _runtime.Registry.RemoveAsync(Id).ConfigureAwait(false);
        }

        _runtime.RemoveActivation(this);
        await _runtime.GetIdAllocator(EntityKind.Slave).ReleaseAsync(Id).ConfigureAwait(false);
    });
}
