using Enslavism.Signaling;

namespace Enslavism.Grains.Tests.InMemory;

public sealed class InMemoryGrainRuntimeTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public async Task SlaveGrain_IsListedOnlyAfterRegister_AndLeavesOnDetach()
    {
        var runtime = Create();
        var id = await runtime.GetIdAllocator(EntityKind.Slave).AllocateAsync();
        var slave = runtime.GetSlave(id);
        var endpoint = new RecordingEndpoint();

        await slave.AttachAsync(endpoint);
        Assert.Empty((await runtime.GetSlaveRegistry().GetSnapshotAsync()).Slaves);
        Assert.False(await slave.DeliverFromClientAsync(9, new OfferFromClient(9, "sdp")));

        await slave.RegisterAsync(JsonUserData.Parse("{\"name\":\"a\"}"));
        Assert.Equal([new SlaveEntry(id, JsonUserData.Parse("{\"name\":\"a\"}"))], (await runtime.GetSlaveRegistry().GetSnapshotAsync()).Slaves);
        Assert.True(await slave.DeliverFromClientAsync(9, new OfferFromClient(9, "sdp")));
        Assert.Equal([new OfferFromClient(9, "sdp")], endpoint.Messages);

        await slave.DetachAsync();
        Assert.Empty((await runtime.GetSlaveRegistry().GetSnapshotAsync()).Slaves);
        Assert.False(await slave.DeliverFromClientAsync(9, new OfferFromClient(9, "late")));
        Assert.Equal(0, runtime.SlaveActivationCount);
    }

    [Fact]
    public async Task SlaveGrain_ReRegister_UpdatesUserData()
    {
        var runtime = Create();
        var slave = runtime.GetSlave(3);
        await slave.AttachAsync(new RecordingEndpoint());
        await slave.RegisterAsync(JsonUserData.Parse("{\"players\":1}"));
        await slave.RegisterAsync(JsonUserData.Parse("{\"players\":2}"));

        Assert.Equal([new SlaveEntry(3, JsonUserData.Parse("{\"players\":2}"))], (await runtime.GetSlaveRegistry().GetSnapshotAsync()).Slaves);
    }

    [Fact]
    public async Task Detach_ReleasesTheIdIntoQuarantine()
    {
        var runtime = Create(new InMemoryGrainOptions { FirstId = 1, MaxId = 2, IdQuarantine = TimeSpan.FromSeconds(60) });
        var ids = runtime.GetIdAllocator(EntityKind.Slave);
        var first = await ids.AllocateAsync();
        await ids.AllocateAsync();
        await runtime.GetSlave(first).AttachAsync(new RecordingEndpoint());

        await runtime.GetSlave(first).DetachAsync();
        await Assert.ThrowsAsync<IdSpaceExhaustedException>(async () => await ids.AllocateAsync());
        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(first, await ids.AllocateAsync());
    }

    [Fact]
    public async Task CallsForAnUnattachedKey_CreateNoActivation()
    {
        var runtime = Create();

        Assert.False(await runtime.GetSlave(77).DeliverFromClientAsync(1, new OfferFromClient(1, "x")));
        Assert.False(await runtime.GetClientSession(77).DeliverFromSlaveAsync(1, new RejectFromSlave(1)));
        await runtime.GetSlave(77).DetachAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await runtime.GetSlave(77).RegisterAsync(JsonUserData.EmptyObject));

        Assert.Equal(0, runtime.SlaveActivationCount);
        Assert.Equal(0, runtime.ClientActivationCount);
    }

    [Fact]
    public async Task ClientSession_DeliversUntilDetached()
    {
        var runtime = Create();
        var endpoint = new RecordingEndpoint();
        var client = runtime.GetClientSession(4);
        await client.AttachAsync(endpoint);

        Assert.True(await client.DeliverFromSlaveAsync(8, new AnswerFromSlave(8, "answer")));
        await client.DetachAsync();
        Assert.False(await client.DeliverFromSlaveAsync(8, new RejectFromSlave(8)));

        Assert.Equal([new AnswerFromSlave(8, "answer")], endpoint.Messages);
        Assert.Equal(0, runtime.ClientActivationCount);
    }

    [Fact]
    public async Task AttachingAnAttachedKey_Throws()
    {
        var runtime = Create();
        await runtime.GetClientSession(1).AttachAsync(new RecordingEndpoint());

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await runtime.GetClientSession(1).AttachAsync(new RecordingEndpoint()));
    }

    [Fact]
    public async Task CallsToOneGrain_NeverOverlap_AndKeepTheirOrder()
    {
        var runtime = Create();
        var endpoint = new RecordingEndpoint(yieldInside: true);
        var client = runtime.GetClientSession(1);
        await client.AttachAsync(endpoint);

        var calls = Enumerable.Range(0, 200).Select(i => client.DeliverFromSlaveAsync(2, new AnswerFromSlave(2, i.ToString(System.Globalization.CultureInfo.InvariantCulture))).AsTask()).ToList();
        await Task.WhenAll(calls);

        Assert.False(endpoint.SawConcurrentCall);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), endpoint.Messages.Cast<AnswerFromSlave>().Select(m => m.Sdp));
    }

    [Fact]
    public async Task CallsToDifferentGrains_RunConcurrently()
    {
        var runtime = Create();
        var blocking = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await runtime.GetClientSession(1).AttachAsync(new RecordingEndpoint(gate: blocking.Task));
        await runtime.GetClientSession(2).AttachAsync(new RecordingEndpoint());

        var stuck = runtime.GetClientSession(1).DeliverFromSlaveAsync(5, new RejectFromSlave(5)).AsTask();

        // Grain 2 must answer while grain 1 is still inside its turn.
        Assert.True(await runtime.GetClientSession(2).DeliverFromSlaveAsync(5, new RejectFromSlave(5)).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(stuck.IsCompleted);
        blocking.SetResult(true);
        Assert.True(await stuck.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task ManyConcurrentSlaves_RegisterAndDetach_SubscribersSeeIdenticalStreams()
    {
        var runtime = Create();
        var registry = runtime.GetSlaveRegistry();
        var observers = Enumerable.Range(0, 3).Select(_ => new RecordingObserver()).ToList();
        var subscriptions = new List<SlaveListSubscription>();
        foreach (var observer in observers)
        {
            subscriptions.Add(await registry.SubscribeAsync(observer));
        }

        await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(async () =>
        {
            var id = await runtime.GetIdAllocator(EntityKind.Slave).AllocateAsync();
            var slave = runtime.GetSlave(id);
            await slave.AttachAsync(new RecordingEndpoint());
            await slave.RegisterAsync(JsonUserData.EmptyObject);
            if (id % 2 == 0)
            {
                await slave.DetachAsync();
            }
        })));

        var final = await registry.GetSnapshotAsync();
        Assert.Equal(150, final.Sequence);
        Assert.Equal(50, final.Slaves.Count);
        foreach (var observer in observers)
        {
            await observer.WaitForSequenceAsync(150);
            Assert.Equal(observers[0].Received, observer.Received);
        }

        foreach (var subscription in subscriptions)
        {
            await subscription.DisposeAsync();
        }
    }

    private InMemoryGrainRuntime Create(InMemoryGrainOptions? options = null) => new(options ?? new InMemoryGrainOptions(), _time);

    private sealed class RecordingEndpoint(bool yieldInside = false, Task? gate = null) : ISlaveEndpoint, IClientEndpoint
    {
        private int _inside;

        public List<SignalingMessage> Messages { get; } = [];

        public bool SawConcurrentCall { get; private set; }

        public async ValueTask<bool> DeliverAsync(SignalingMessage message)
        {
            if (Interlocked.Increment(ref _inside) != 1)
            {
                SawConcurrentCall = true;
            }

            if (yieldInside)
            {
                await Task.Yield();
            }

            if (gate is not null)
            {
                await gate;
            }

            Messages.Add(message);
            Interlocked.Decrement(ref _inside);
            return true;
        }
    }
}
