using Enslavism.Signaling;

namespace Enslavism.Grains.Postgres.Registry;

/// <summary>
/// The cluster registry as seen from one node: writes go to the shared tables, reads and subscriptions are served by
/// the local replica. A write returns once its change reached the replica, so a local subscriber sees it immediately.
/// </summary>
internal sealed class PostgresSlaveRegistryGrain : ISlaveRegistryGrain
{
    private readonly ClusterNodeContext _context;
    private readonly SlaveListReplica _replica;
    private readonly OwnedSlaves _owned;
    private readonly Action _wakeFeed;

    public PostgresSlaveRegistryGrain(ClusterNodeContext context, SlaveListReplica replica, OwnedSlaves owned, Action wakeFeed)
    {
        _context = context;
        _replica = replica;
        _owned = owned;
        _wakeFeed = wakeFeed;
    }

    public async ValueTask AddAsync(SlaveEntry slave)
    {
        ArgumentNullException.ThrowIfNull(slave);
        await WaitVisibleAsync(await _owned.AddAsync(slave, CancellationToken.None));
    }

    public async ValueTask RemoveAsync(uint slaveId) =>
        await WaitVisibleAsync(await _owned.RemoveAsync(slaveId, CancellationToken.None));

    public ValueTask<SlaveListSnapshot> GetSnapshotAsync() => _replica.GetSnapshotAsync();

    public ValueTask<SlaveListSubscription> SubscribeAsync(ISlaveListObserver observer) => _replica.SubscribeAsync(observer);

    private async Task WaitVisibleAsync(long? sequence)
    {
        if (sequence is { } position)
        {
            _wakeFeed();
            await _replica.WaitForAsync(position, _context.Options.WriteVisibilityTimeout, _context.TimeProvider);
        }
    }
}
