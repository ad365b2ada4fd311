using System.Collections.Concurrent;
using Enslavism.Cluster.Tests.Infrastructure;
using Enslavism.Grains;

namespace Enslavism.Cluster.Tests;

[Collection(PostgresCollection.Name)]
public sealed class IdAllocationTests(PostgresServer server) : ClusterTestBase(server)
{
    [Fact]
    public async Task ConcurrentAllocationFromThreeNodes_GivesUniqueIds()
    {
        var nodes = await StartNodesAsync(3);
        var ids = new ConcurrentBag<uint>();

        await Task.WhenAll(nodes.Select(node => Parallel.ForEachAsync(
            Enumerable.Range(0, 150),
            new ParallelOptions { MaxDegreeOfParallelism = 6 },
            async (_, _) => ids.Add(await node.Factory.GetIdAllocator(EntityKind.Client).AllocateAsync()))));

        Assert.Equal(450, ids.Count);
        Assert.Equal(450, ids.Distinct().Count());
        Assert.Equal(450L, await ScalarAsync<long>("SELECT count(*) FROM ens_ids WHERE kind = 1 AND node_id IS NOT NULL"));
    }

    [Fact]
    public async Task SlaveAndClientIds_AreSeparateSpaces()
    {
        var node = await StartNodeAsync("a");

        var slave = await node.Factory.GetIdAllocator(EntityKind.Slave).AllocateAsync();
        var client = await node.Factory.GetIdAllocator(EntityKind.Client).AllocateAsync();

        Assert.Equal(0u, slave);
        Assert.Equal(0u, client);
    }

    [Fact]
    public async Task Allocation_WrapsAroundAfterTheLargestU32()
    {
        var node = await StartNodeAsync("a");
        var allocator = node.Factory.GetIdAllocator(EntityKind.Slave);
        var zero = await allocator.AllocateAsync();
        await ScalarAsync<int>("UPDATE ens_id_cursor SET next = 4294967294 WHERE kind = 0 RETURNING 1");

        var ids = new[] { await allocator.AllocateAsync(), await allocator.AllocateAsync(), await allocator.AllocateAsync() };

        Assert.Equal(0u, zero);
        // 0 is still live, so after 4294967295 the search continues at 1.
        Assert.Equal(new uint[] { 4294967294, 4294967295, 1 }, ids);
    }

    [Fact]
    public async Task ReleasedId_RestsInQuarantine_BeforeReuse()
    {
        var node = await StartNodeAsync("a", o => o.IdQuarantine = TimeSpan.FromHours(1));
        var allocator = node.Factory.GetIdAllocator(EntityKind.Client);
        var first = await allocator.AllocateAsync();
        await allocator.ReleaseAsync(first);
        await ScalarAsync<int>("UPDATE ens_id_cursor SET next = 0 WHERE kind = 1 RETURNING 1");

        var next = await allocator.AllocateAsync();

        Assert.Equal(0u, first);
        Assert.Equal(1u, next);

        // Once the quarantine has passed, the id is free again.
        await ScalarAsync<int>("UPDATE ens_ids SET released_at = released_at - interval '2 hours' WHERE kind = 1 AND id = 0 RETURNING 1");
        await ScalarAsync<int>("UPDATE ens_id_cursor SET next = 0 WHERE kind = 1 RETURNING 1");
        Assert.Equal(0u, await allocator.AllocateAsync());
    }

    [Fact]
    public async Task ExhaustedIdSpace_ThrowsTypedError_AndRecoversAfterRelease()
    {
        var node = await StartNodeAsync("a", o => o.IdQuarantine = TimeSpan.Zero);
        var allocator = node.Node.CreateIdAllocator(EntityKind.Slave, maxId: 3);
        var ids = new List<uint>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await allocator.AllocateAsync());
        }

        await Assert.ThrowsAsync<IdSpaceExhaustedException>(() => allocator.AllocateAsync().AsTask());

        await allocator.ReleaseAsync(2);
        Assert.Equal(new uint[] { 0, 1, 2, 3 }, ids);
        Assert.Equal(2u, await allocator.AllocateAsync());
    }

    [Fact]
    public async Task Release_OfAnIdThisNodeDoesNotHold_IsIgnored()
    {
        var (a, b) = (await StartNodeAsync("a"), await StartNodeAsync("b"));
        var id = await a.Factory.GetIdAllocator(EntityKind.Client).AllocateAsync();

        await b.Factory.GetIdAllocator(EntityKind.Client).ReleaseAsync(id);

        Assert.Equal(a.Node.NodeId, await ScalarAsync<long>("SELECT node_id FROM ens_ids WHERE kind = 1 AND id = $1", (long)id));
    }
}
