using Enslavism.Signaling;

namespace Enslavism.Grains.Postgres.Grains;

/// <summary>
/// A slave whose socket is on this node, with the in-memory runtime's semantics: calls run one at a time, only a
/// registered slave is addressable, and detaching unlists it and releases its id.
/// </summary>
internal sealed class LocalSlaveGrain
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly uint _id;
    private readonly ISlaveRegistryGrain _registry;
    private readonly IIdAllocatorGrain _ids;
    private readonly ISlaveEndpoint _endpoint;
    private bool _registered;
    private bool _detached;

    public LocalSlaveGrain(uint id, ISlaveEndpoint endpoint, ISlaveRegistryGrain registry, IIdAllocatorGrain ids)
    {
        _id = id;
        _endpoint = endpoint;
        _registry = registry;
        _ids = ids;
    }

    public async ValueTask RegisterAsync(JsonUserData userData)
    {
        await _turn.WaitAsync();
        try
        {
            if (_detached)
            {
                return;
            }

            await _registry.AddAsync(new SlaveEntry(_id, userData));
            _registered = true;
        }
        finally
        {
            _turn.Release();
        }
    }

    public async ValueTask<bool> DeliverFromClientAsync(SignalingMessage message)
    {
        await _turn.WaitAsync();
        try
        {
            return !_detached && _registered && await _endpoint.DeliverAsync(message);
        }
        finally
        {
            _turn.Release();
        }
    }

    public async ValueTask DetachAsync()
    {
        await _turn.WaitAsync();
        try
        {
            if (_detached)
            {
                return;
            }

            _detached = true;
            if (_registered)
            {
                await _registry.RemoveAsync(_id);
            }

            await _ids.ReleaseAsync(_id);
        }
        finally
        {
            _turn.Release();
        }
    }
}
