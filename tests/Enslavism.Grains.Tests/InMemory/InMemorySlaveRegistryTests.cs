using Enslavism.Signaling;

namespace Enslavism.Grains.Tests.InMemory;

public sealed class InMemorySlaveRegistryTests
{
    private static readonly InMemoryGrainOptions Options = new();

    [Fact]
    public async Task Changes_CarryIncreasingSequenceNumbers_AndSnapshotReflectsThem()
    {
        var registry = new InMemorySlaveRegistry(Options);
        var observer = new RecordingObserver();
        await using var subscription = await registry.SubscribeAsync(observer);
        Assert.Equal(0, subscription.Snapshot.Sequence);
        Assert.Empty(subscription.Snapshot.Slaves);

        await registry.AddAsync(Entry(1, "{\"a\":1}"));
        await registry.AddAsync(Entry(2, "{}"));
        await registry.RemoveAsync(1);
        await observer.WaitForSequenceAsync(3);

        Assert.Collection(
            observer.Received,
            c => Assert.Equal(new SlaveAdded(1, Entry(1, "{\"a\":1}")), c),
            c => Assert.Equal(new SlaveAdded(2, Entry(2, "{}")), c),
            c => Assert.Equal(new SlaveRemoved(3, 1), c));
        var snapshot = await registry.GetSnapshotAsync();
        Assert.Equal(3, snapshot.Sequence);
        Assert.Equal([Entry(2, "{}")], snapshot.Slaves);
    }

    [Fact]
    public async Task RemovingAnUnlistedSlave_PublishesNothing()
    {
        var registry = new InMemorySlaveRegistry(Options);
        var observer = new RecordingObserver();
        await using var subscription = await registry.SubscribeAsync(observer);

        await registry.RemoveAsync(42);
        await registry.AddAsync(Entry(7, "{}"));
        await observer.WaitForSequenceAsync(1);

        Assert.Equal([new SlaveAdded(1, Entry(7, "{}"))], observer.Received);
    }

    [Fact]
    public async Task AddingAListedSlave_PublishesRemoveThenAdd_WithTheNewUserData()
    {
        var registry = new InMemorySlaveRegistry(Options);
        await registry.AddAsync(Entry(5, "{\"v\":1}"));
        var observer = new RecordingObserver();
        await using var subscription = await registry.SubscribeAsync(observer);

        await registry.AddAsync(Entry(5, "{\"v\":2}"));
        await observer.WaitForSequenceAsync(3);

        Assert.Equal([new SlaveRemoved(2, 5), new SlaveAdded(3, Entry(5, "{\"v\":2}"))], observer.Received);
        Assert.Equal([Entry(5, "{\"v\":2}")], (await registry.GetSnapshotAsync()).Slaves);
    }

    [Fact]
    public async Task Unsubscribed_ObserverReceivesNothingMore()
    {
        var registry = new InMemorySlaveRegistry(Options);
        var gone = new RecordingObserver();
        var stays = new RecordingObserver();
        var goneSubscription = await registry.SubscribeAsync(gone);
        await using var staysSubscription = await registry.SubscribeAsync(stays);
        await registry.AddAsync(Entry(1, "{}"));
        await gone.WaitForSequenceAsync(1);

        await goneSubscription.DisposeAsync();
        await registry.AddAsync(Entry(2, "{}"));
        await stays.WaitForSequenceAsync(2);

        Assert.Single(gone.Received);
    }

    [Fact]
    public async Task SlowObserver_DoesNotStallOthers_AndCatchesUpInOrder()
    {
        var registry = new InMemorySlaveRegistry(Options);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = new RecordingObserver(_ => release.Task);
        var fast = new RecordingObserver();
        await using var slowSubscription = await registry.SubscribeAsync(slow);
        await using var fastSubscription = await registry.SubscribeAsync(fast);

        for (uint i = 1; i <= 50; i++)
        {
            await registry.AddAsync(Entry(i, "{}"));
        }

        // Registry calls returned and the fast observer got everything while the slow one is still stuck on change 1.
        await fast.WaitForSequenceAsync(50);
        Assert.Empty(slow.Received);

        release.SetResult();
        await slow.WaitForSequenceAsync(50);
        Assert.Equal(fast.Received, slow.Received);
        Assert.False(slow.SawConcurrentCall);
    }

    [Fact]
    public async Task ObserverThatFallsTooFarBehind_IsDropped_WithoutBlockingTheRegistry()
    {
        var registry = new InMemorySlaveRegistry(new InMemoryGrainOptions { MaxPendingChangesPerObserver = 4 });
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stuck = new RecordingObserver(_ => release.Task);
        var healthy = new RecordingObserver();
        await using var stuckSubscription = await registry.SubscribeAsync(stuck);
        await using var healthySubscription = await registry.SubscribeAsync(healthy);

        for (uint i = 1; i <= 20; i++)
        {
            // The healthy observer keeps up (never more than one change behind); the stuck one overflows its bound.
            await registry.AddAsync(Entry(i, "{}"));
            await healthy.WaitForSequenceAsync(i);
        }

        release.SetResult();
        await registry.AddAsync(Entry(21, "{}"));
        await healthy.WaitForSequenceAsync(21);

        // At most the one in progress plus the queued ones were delivered; change 21 never reached the dropped observer.
        Assert.DoesNotContain(stuck.Received, c => c.Sequence == 21);
        Assert.True(stuck.Received.Count <= 5);
        Assert.Contains("pending", await stuck.Lost.Task.WaitAsync(TimeSpan.FromSeconds(10)), StringComparison.Ordinal);
        Assert.False(healthy.Lost.Task.IsCompleted);
    }

    [Fact]
    public async Task ObserverThatThrows_IsToldItsSubscriptionIsLost_AndOthersContinue()
    {
        var registry = new InMemorySlaveRegistry(Options);
        var failing = new RecordingObserver(_ => throw new InvalidOperationException("observer bug"));
        var healthy = new RecordingObserver();
        await using var failingSubscription = await registry.SubscribeAsync(failing);
        await using var healthySubscription = await registry.SubscribeAsync(healthy);

        await registry.AddAsync(Entry(1, "{}"));
        await registry.AddAsync(Entry(2, "{}"));

        Assert.Contains("observer bug", await failing.Lost.Task.WaitAsync(TimeSpan.FromSeconds(10)), StringComparison.Ordinal);
        await healthy.WaitForSequenceAsync(2);
    }

    [Fact]
    public async Task ConcurrentChangesAndSubscriptions_EverySubscriberSeesTheSameGaplessStream()
    {
        var registry = new InMemorySlaveRegistry(Options);
        var early = Enumerable.Range(0, 4).Select(_ => new RecordingObserver()).ToList();
        var earlySubscriptions = new List<SlaveListSubscription>();
        foreach (var observer in early)
        {
            earlySubscriptions.Add(await registry.SubscribeAsync(observer));
        }

        var late = new List<(RecordingObserver Observer, SlaveListSubscription Subscription)>();
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (uint i = 0; i < 100; i++)
            {
                var id = ((uint)w * 1000) + i;
                await registry.AddAsync(Entry(id, "{}"));
                if (i % 3 == 0)
                {
                    await registry.RemoveAsync(id);
                }
            }
        }));
        var subscribers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 5; i++)
            {
                var observer = new RecordingObserver();
                var subscription = await registry.SubscribeAsync(observer);
                lock (late)
                {
                    late.Add((observer, subscription));
                }

                await Task.Yield();
            }
        }));
        await Task.WhenAll(writers.Concat(subscribers));

        var final = await registry.GetSnapshotAsync();
        Assert.Equal(800 + 272, final.Sequence);
        foreach (var observer in early)
        {
            await observer.WaitForSequenceAsync(final.Sequence);
            Assert.Equal(early[0].Received, observer.Received);
            Assert.False(observer.SawConcurrentCall);
        }

        foreach (var (observer, subscription) in late)
        {
            // Snapshot plus the changes after it rebuild exactly the final list: no gap, no duplicate.
            if (subscription.Snapshot.Sequence < final.Sequence)
            {
                await observer.WaitForSequenceAsync(final.Sequence);
            }

            var expectedSequences = Enumerable.Range(1, (int)(final.Sequence - subscription.Snapshot.Sequence)).Select(i => subscription.Snapshot.Sequence + i);
            Assert.Equal(expectedSequences, observer.Received.Select(c => c.Sequence));
            Assert.Equal(early[0].Received.Where(c => c.Sequence > subscription.Snapshot.Sequence), observer.Received);
            var list = subscription.Snapshot.Slaves.ToDictionary(s => s.Id);
            foreach (var change in observer.Received)
            {
                if (change is SlaveAdded added)
                {
                    Assert.True(list.TryAdd(added.Slave.Id, added.Slave), "added twice");
                }
                else
                {
                    Assert.True(list.Remove(((SlaveRemoved)change).SlaveId), "removed an unlisted slave");
                }
            }

            Assert.Equal(final.Slaves.Select(s => s.Id).Order(), list.Keys.Order());
        }

        foreach (var subscription in earlySubscriptions.Concat(late.Select(l => l.Subscription)))
        {
            await subscription.DisposeAsync();
        }
    }

    private static SlaveEntry Entry(uint id, string json) => new(id, JsonUserData.Parse(json));
}
