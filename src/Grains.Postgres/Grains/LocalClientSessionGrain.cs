using Enslavism.Signaling;

namespace Enslavism.Grains.Postgres.Grains;

/// <summary>A client whose socket is on this node: calls run one at a time; detaching releases its id.</summary>
internal sealed class LocalClientSessionGrain
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly uint _id;
    private readonly IClientEndpoint _endpoint;
    private readonly IIdAllocatorGrain _ids;
    private bool _detached;

    public LocalClientSessionGrain(uint id, IClientEndpoint endpoint, IIdAllocatorGrain ids)
    {
        _id = id;
        _endpoint = endpoint;
        _ids = ids;
    }

    public async ValueTask<bool> DeliverFromSlaveAsync(SignalingMessage message)
    {
        await _turn.WaitAsync();
        try
        {
            return !_detached && await _endpoint.DeliverAsync(message);
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
            await _ids.ReleaseAsync(_id);
        }
        finally
        {
            _turn.Release();
        }
    }
}
