using Enslavism.Signaling;

namespace Enslavism.Grains.Postgres.Grains;

/// <summary>A slave whose socket is on this node. Calls run one at a time, as grain turns do.</summary>
internal sealed class LocalSlaveGrain
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly uint _id;
    private readonly ISlaveRegistryGrain _registry;
    private ISlaveEndpoint? _endpoint;
    private bool _registered;

    public LocalSlaveGrain(uint id, ISlaveRegistryGrain registry)
    {
        _id = id;
        _registry = registry;
    }

    public async ValueTask AttachAsync(ISlaveEndpoint endpoint)
    {
        await _turn.WaitAsync();
        try
        {
            _endpoint = endpoint;
        }
        finally
        {
            _turn.Release();
        }
    }

    public async ValueTask RegisterAsync(JsonUserData userData)
    {
        await _turn.WaitAsync();
        try
        {
            _registered = true;
            await _registry.AddAsync(new SlaveEntry(_id, userData));
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
            return _endpoint is { } endpoint && await endpoint.DeliverAsync(message);
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
            _endpoint = null;
            if (_registered)
            {
                _registered = false;
                await _registry.RemoveAsync(_id);
            }
        }
        finally
        {
            _turn.Release();
        }
    }
}
