using Enslavism.Cluster.Tests.Infrastructure;
using Enslavism.Grains;
using Enslavism.Signaling;

namespace Enslavism.Cluster.Tests;

[Collection(PostgresCollection.Name)]
public sealed class RegistryReplicationTests(PostgresServer server) : ClusterTestBase(server)
{
    [Fact]
    public async Task Schema_MigratesOnce_WhenNodesStartTogether()
    {
        var nodes = await StartNodesAsync(3);

        Assert.All(nodes, n => Assert.True(n.Node.IsConnected));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM ens_schema_version"));
        Assert.Equal(3L, await ScalarAsync<long>("SELECT count(*) FROM ens_nodes"));
    }

    [Fact]
    public async Task SnapshotAndChanges_AreTheSameOnEveryNode()
    {
        var (a, b) = (await StartNodeAsync("a"), await StartNodeAsync("b"));
        var onA = await RecordingObserver.SubscribeAsync(a.Registry);
        var s1 = await a.AddSlaveAsync("""{"name":"one"}""");
        var s2 = await b.AddSlaveAsync("""{"name":"two"}""");
        await onA.WaitForIdsAsync([s1.Id, s2.Id], Timeout);

        // A late joiner gets both slaves in its snapshot, then later changes only.
        var c = await StartNodeAsync("c");
        var onC = await RecordingObserver.SubscribeAsync(c.Registry);
        Assert.Equal([s1.Id, s2.Id], onC.Subscription!.Snapshot.Slaves.Select(s => s.Id).Order());

        var s3 = await c.AddSlaveAsync("""{"name":"three"}""");
        await a.Factory.GetSlave(s1.Id).DetachAsync();
        await b.Factory.GetSlave(s2.Id).RegisterAsync(JsonUserData.Parse("""{"name":"two","players":3}"""));
        var final = new[] { s2.Id, s3.Id };
        await onA.WaitUntilAsync(v => v.Count == 2 && v.ContainsKey(s3.Id) && v[s2.Id].ToString().Contains("players", StringComparison.Ordinal), Timeout);
        await onC.WaitUntilAsync(v => v.Count == 2 && v.ContainsKey(s3.Id) && v[s2.Id].ToString().Contains("players", StringComparison.Ordinal), Timeout);

        Assert.Null(onA.Violation);
        Assert.Null(onC.Violation);
        Assert.Equal(final, onC.View.Keys);
        Assert.Equal(onA.View, onC.View);

        // Every change C saw, A saw too, with the same sequence number.
        var fromA = onA.Changes.ToDictionary(x => x.Sequence);
        Assert.NotEmpty(onC.Changes);
        Assert.All(onC.Changes, change => Assert.Equal(fromA[change.Sequence], change));
        Assert.Contains(onC.Changes, x => x is SlaveRemoved r && r.SlaveId == s1.Id);
    }

    [Fact]
    public async Task Add_IsInTheLocalSnapshot_WhenItReturns()
    {
        var node = await StartNodeAsync("a");

        var slave = await node.AddSlaveAsync("""{"game":"x"}""");
        var snapshot = await node.Registry.GetSnapshotAsync();

        var entry = Assert.Single(snapshot.Slaves);
        Assert.Equal(slave.Id, entry.Id);
        Assert.Equal("""{"game":"x"}""", entry.UserData.ToString());
        Assert.True(snapshot.Sequence > 0);
    }

    [Fact]
    public async Task Remove_OfAnotherNodesSlave_DoesNothing()
    {
        var (a, b) = (await StartNodeAsync("a"), await StartNodeAsync("b"));
        var slave = await a.AddSlaveAsync("{}");
        var onB = await RecordingObserver.SubscribeAsync(b.Registry);
        await onB.WaitForIdsAsync([slave.Id], Timeout);

        await b.Registry.RemoveAsync(slave.Id);
        await b.Registry.RemoveAsync(123_456);

        // A marker change from A proves B's feed moved past any removal B could have caused.
        var marker = await a.AddSlaveAsync("{}");
        await onB.WaitForIdsAsync([slave.Id, marker.Id], Timeout);
        Assert.DoesNotContain(onB.Changes, x => x is SlaveRemoved);
    }

    [Fact]
    public async Task ThrowingObserver_IsDroppedAndToldSo_OthersKeepReceiving()
    {
        var node = await StartNodeAsync("a");
        var faulty = new ThrowingObserver();
        await node.Registry.SubscribeAsync(faulty);
        var healthy = await RecordingObserver.SubscribeAsync(node.Registry);

        var first = await node.AddSlaveAsync("{}");
        var second = await node.AddSlaveAsync("{}");

        await healthy.WaitForIdsAsync([first.Id, second.Id], Timeout);
        Assert.Equal(1, faulty.Calls);
        Assert.Equal("observer failed on change 1", await faulty.Lost.Task.WaitAsync(Timeout));
    }

    private sealed class ThrowingObserver : ISlaveListObserver
    {
        public int Calls { get; private set; }

        public TaskCompletionSource<string> Lost { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask OnSlaveListChangedAsync(SlaveListChange change)
        {
            Calls++;
            throw new InvalidOperationException("observer bug");
        }

        public ValueTask OnSubscriptionLostAsync(string reason)
        {
            Lost.TrySetResult(reason);
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task PrunedLog_ResyncPublishesOnlyTheRealDifferences()
    {
        var a = await StartNodeAsync("a");
        var b = await StartNodeAsync("b");
        var keep = await a.AddSlaveAsync("""{"v":1}""");
        var change = await a.AddSlaveAsync("""{"v":1}""");
        var drop = await a.AddSlaveAsync("""{"v":1}""");
        var onB = await RecordingObserver.SubscribeAsync(b.Registry);
        await onB.WaitForIdsAsync([keep.Id, change.Id, drop.Id], Timeout);
        var before = onB.Changes.Count;

        // B goes dark; meanwhile the list churns and the log behind B is pruned.
        await b.CrashAsync(ConnectionString);
        await a.Factory.GetSlave(drop.Id).DetachAsync();
        await a.Factory.GetSlave(change.Id).RegisterAsync(JsonUserData.Parse("""{"v":2}"""));
        for (var i = 0; i < 20; i++)
        {
            var churn = await a.AddSlaveAsync($$"""{"churn":{{i}}}""");
            await a.Factory.GetSlave(churn.Id).DetachAsync();
        }

        var added = await a.AddSlaveAsync("""{"v":"new"}""");
        // Run the real janitor with a tiny retention. Holding its election lock first (re-entrant within this
        // session's implicit transaction) makes sure a node's concurrent janitor run cannot make this one skip.
        await ScalarAsync<object>(
            "SELECT pg_advisory_xact_lock(5643921, 2); SELECT count(*) FROM ens_janitor(interval '1 hour', interval '1 hour', 2, interval '1 hour')");
        Assert.True(await ScalarAsync<long>("SELECT min(seq) FROM ens_slave_changes") > b.Node.FeedCursor + 1);

        b.Clock.Resume();
        await onB.WaitForIdsAsync([keep.Id, change.Id, added.Id], Timeout);
        await onB.WaitUntilAsync(v => v[change.Id].ToString() == """{"v":2}""", Timeout);

        var afterOutage = onB.Changes.Skip(before).ToList();
        Assert.Null(onB.Violation);
        Assert.Equal(3, afterOutage.Count);
        Assert.Contains(afterOutage, x => x is SlaveRemoved r && r.SlaveId == drop.Id);
        Assert.Contains(afterOutage, x => x is SlaveAdded ad && ad.Slave.Id == change.Id);
        Assert.Contains(afterOutage, x => x is SlaveAdded ad && ad.Slave.Id == added.Id);
        Assert.Equal((await a.Registry.GetSnapshotAsync()).Slaves, (await b.Registry.GetSnapshotAsync()).Slaves);
    }

    [Fact]
    public async Task RegistrationStorm_LeavesIdenticalListsAndHistoriesEverywhere()
    {
        var nodes = await StartNodesAsync(3);
        var observers = await Task.WhenAll(nodes.Select(n => RecordingObserver.SubscribeAsync(n.Registry)));

        // Each node registers 60 slaves with 8 concurrent writers and removes every third one.
        var expected = await Task.WhenAll(nodes.Select(async node =>
        {
            var kept = new System.Collections.Concurrent.ConcurrentBag<uint>();
            await Parallel.ForEachAsync(Enumerable.Range(0, 60), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            {
                var slave = await node.AddSlaveAsync($$"""{"i":{{i}}}""");
                if (i % 3 == 0)
                {
                    await node.Factory.GetSlave(slave.Id).DetachAsync();
                }
                else
                {
                    kept.Add(slave.Id);
                }
            });
            return kept.ToArray();
        }));
        var all = expected.SelectMany(x => x).ToHashSet();
        Assert.Equal(120, all.Count);

        foreach (var observer in observers)
        {
            await observer.WaitForIdsAsync(all, Timeout);
        }

        var head = await ScalarAsync<long>("SELECT seq FROM ens_log_head");
        Assert.Equal(180 + 60, head);
        foreach (var observer in observers)
        {
            Assert.Null(observer.Violation);
            Assert.Equal(observers[0].View, observer.View);
            Assert.Equal(observers[0].Changes, observer.Changes);
        }
    }
}
