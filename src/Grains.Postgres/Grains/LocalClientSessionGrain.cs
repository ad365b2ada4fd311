using Enslavism.Signaling;

namespace Enslavism.Grains.Postgres.Grains;

/// <summary>A client whose socket is on this node. Calls run one at a time, as grain turns do.</summary>
internal sealed class LocalClientSessionGrain
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private IClientEndpoint? _endpoint;

    public async ValueTask AttachAsync(IClientEndpoint endpoint)
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

    public async ValueTask<bool> DeliverFromSlaveAsync(SignalingMessage message)
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
        }
        finally
        {
            _turn.Release();
        }
    }
}
