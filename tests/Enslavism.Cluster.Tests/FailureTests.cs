using System.Diagnostics;
using Enslavism.Cluster.Tests.Infrastructure;
using Enslavism.Grains;

namespace Enslavism.Cluster.Tests;

[Collection(PostgresCollection.Name)]
public sealed class FailureTests(PostgresServer server) : ClusterTestBase(server)
{
    [Fact]
    public async Task AbruptNodeDeath_ItsSlavesVanishEverywhereWithinThreeSeconds()
    {
        var (a, b, c) = (await StartNodeAsync("a"), await StartNodeAsync("b"), await StartNodeAsync("c"));
        var doomed = new[] { await a.AddSlaveAsync("{}"), await a.AddSlaveAsync("{}") };
        var survivor = await b.AddSlaveAsync("{}");
        var client = await a.AddClientAsync();
        var onB = await RecordingObserver.SubscribeAsync(b.Registry);
        var onC = await RecordingObserver.SubscribeAsync(c.Registry);
        await onC.WaitForIdsAsync([.. doomed.Select(d => d.Id), survivor.Id], Timeout);

        var clock = Stopwatch.StartNew();
        await a.CrashAsync(ConnectionString);
        var vanished = Task.WhenAll(
            onB.WaitForIdsAsync([survivor.Id], Timeout),
            onC.WaitForIdsAsync([survivor.Id], Timeout));
        await vanished;
        clock.Stop();

        // A behaviour bound (the lease), not a benchmark: the dead backend is noticed long before it.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
        Assert.Null(onB.Violation);
        Assert.Null(onC.Violation);

        // Its client sessions are forgotten: nothing routes to the dead node any more.
        Assert.False(await b.Factory.GetClientSession(client.Id).DeliverFromSlaveAsync(survivor.Id, new Signaling.AnswerFromSlave(survivor.Id, "v=0\r\n")));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM ens_ids WHERE node_id = $1", a.Node.NodeId));
    }

    [Fact]
    public async Task SilentNode_IsEvictedWhenItsLeaseExpires()
    {
        var (a, b) = (await StartNodeAsync("a"), await StartNodeAsync("b"));
        var doomed = await a.AddSlaveAsync("{}");
        var onB = await RecordingObserver.SubscribeAsync(b.Registry);
        await onB.WaitForIdsAsync([doomed.Id], Timeout);
        var options = new Grains.Postgres.PostgresClusterOptions(); // the nodes run with the defaults

        // The host hangs: no heartbeat, but its database sessions stay open (so only the lease can tell).
        var clock = Stopwatch.StartNew();
        a.Clock.Pause();
        await onB.WaitForIdsAsync([], Timeout);
        clock.Stop();

        var bound = options.LeaseDuration + options.HeartbeatInterval + TimeSpan.FromSeconds(1);
        // Its backends are all still there: the lease, not a vanished backend, got it evicted.
        Assert.True(await ScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", $"enslavism-node-{a.Node.NodeId:x}") > 0);
        Assert.True(clock.Elapsed < bound, $"took {clock.Elapsed}, bound {bound}");
        Assert.True(a.Node.IsConnected); // it does not know yet

        // When it wakes up it finds itself evicted, rejoins and re-registers its slave.
        a.Clock.Resume();
        await onB.WaitForIdsAsync([doomed.Id], Timeout);
        Assert.Null(onB.Violation);
    }

    [Fact]
    public async Task GracefulStop_RemovesTheNodesSlavesAtOnce()
    {
        var (a, b) = (await StartNodeAsync("a"), await StartNodeAsync("b"));
        var leaving = await a.AddSlaveAsync("{}");
        var onB = await RecordingObserver.SubscribeAsync(b.Registry);
        await onB.WaitForIdsAsync([leaving.Id], Timeout);

        await a.StopAsync();

        await onB.WaitForIdsAsync([], Timeout);
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM ens_nodes"));
    }

    [Fact]
    public async Task PostgresRestart_NodesReconnectAndResyncWithoutFlaps()
    {
        var nodes = await StartNodesAsync(3);
        var slaves = new List<uint>();
        foreach (var node in nodes)
        {
            slaves.Add((await node.AddSlaveAsync("{}")).Id);
            slaves.Add((await node.AddSlaveAsync("""{"n":2}""")).Id);
        }

        var observers = await Task.WhenAll(nodes.Select(n => RecordingObserver.SubscribeAsync(n.Registry)));
        foreach (var observer in observers)
        {
            await observer.WaitForIdsAsync(slaves, Timeout);
        }

        // A slave whose socket is already open on node A registers only while the database is down.
        var lateId = await nodes[0].Factory.GetIdAllocator(EntityKind.Slave).AllocateAsync();
        await nodes[0].Factory.GetSlave(lateId).AttachAsync(new RecordingEndpoint());
        var before = observers.Select(o => o.Changes.Count).ToArray();
        await Server.StopAsync();

        // While it is down: one slave leaves, the late one registers. Neither may be lost; both reach the other nodes
        // once the database is back, and nothing else may change. New ids cannot be promised meanwhile.
        var leaving = slaves[1];
        await nodes[0].Factory.GetSlave(leaving).DetachAsync();
        await nodes[0].Factory.GetSlave(lateId).RegisterAsync(Signaling.JsonUserData.Parse("""{"late":true}"""));
        var refused = await Assert.ThrowsAsync<IdSpaceExhaustedException>(
            () => nodes[1].Factory.GetIdAllocator(EntityKind.Slave).AllocateAsync().AsTask());
        Assert.IsType<Grains.Postgres.BackplaneUnavailableException>(refused.InnerException);
        await Server.StartAsync();

        var expected = slaves.Where(s => s != leaving).Append(lateId).ToList();
        foreach (var observer in observers)
        {
            await observer.WaitForIdsAsync(expected, Timeout);
        }

        Assert.All(nodes, n => Assert.True(n.Node.IsConnected));
        for (var i = 0; i < observers.Length; i++)
        {
            var observer = observers[i];
            var afterRestart = observer.Changes.Skip(before[i]).ToList();
            Assert.Null(observer.Violation);
            Assert.Equal([leaving], afterRestart.OfType<SlaveRemoved>().Select(r => r.SlaveId));
            Assert.Equal([lateId], afterRestart.OfType<SlaveAdded>().Select(a => a.Slave.Id));
            Assert.Equal(observers[0].View, observer.View);
        }
    }
}
