using Enslavism.Cluster.Tests.Infrastructure;
using Enslavism.Grains;
using Enslavism.Grains.Postgres.Relay;
using Enslavism.Signaling;

namespace Enslavism.Cluster.Tests;

[Collection(PostgresCollection.Name)]
public sealed class SignalingRelayTests(PostgresServer server) : ClusterTestBase(server)
{
    [Fact]
    public async Task OfferAndAnswer_CrossNodes_BothWays()
    {
        var (a, b) = (await StartNodeAsync("a"), await StartNodeAsync("b"));
        var slave = await a.AddSlaveAsync("{}");
        var client = await b.AddClientAsync();
        var offer = new OfferFromClient(client.Id, "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n");
        var answer = new AnswerFromSlave(slave.Id, "v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\n");

        Assert.True(await b.Factory.GetSlave(slave.Id).DeliverFromClientAsync(client.Id, offer));
        Assert.Equal(offer, await slave.Endpoint.ReceiveAsync(Timeout));

        Assert.True(await a.Factory.GetClientSession(client.Id).DeliverFromSlaveAsync(slave.Id, answer));
        Assert.Equal(answer, await client.Endpoint.ReceiveAsync(Timeout));
        // Counted on receipt, before delivery (the sender counts after its batch commits, which may be later).
        Assert.Equal(1, a.Metrics.RelayReceivedTotal);
        Assert.Equal(1, b.Metrics.RelayReceivedTotal);
    }

    [Fact]
    public async Task OfferThenCandidates_ArriveInOrder()
    {
        var (a, b) = (await StartNodeAsync("a"), await StartNodeAsync("b"));
        var slave = await a.AddSlaveAsync("{}");
        var client = await b.AddClientAsync();
        var grain = b.Factory.GetSlave(slave.Id);
        var sent = new List<SignalingMessage> { new OfferFromClient(client.Id, "v=0\r\n") };
        for (var i = 0; i < 50; i++)
        {
            sent.Add(new IceCandidateFromClient(client.Id, new IceCandidate("0", 0, $"candidate:{i} 1 udp 1 127.0.0.1 {5000 + i} typ host")));
        }

        foreach (var message in sent)
        {
            Assert.True(await grain.DeliverFromClientAsync(client.Id, message));
        }

        foreach (var expected in sent)
        {
            Assert.Equal(expected, await slave.Endpoint.ReceiveAsync(Timeout));
        }
    }

    [Fact]
    public async Task MessageOverTheNotifyLimit_TravelsThroughATableRow()
    {
        var (a, b) = (await StartNodeAsync("a"), await StartNodeAsync("b"));
        var slave = await a.AddSlaveAsync("{}");
        var client = await b.AddClientAsync();
        var sdp = "v=0\r\n" + string.Concat(Enumerable.Range(0, 600).Select(i => $"a=x-filler:{i:D20}\r\n"));
        var offer = new OfferFromClient(client.Id, sdp);
        Assert.True(sdp.Length > NotifySignalingTransport.MaxNotifyPayloadBytes);

        Assert.True(await b.Factory.GetSlave(slave.Id).DeliverFromClientAsync(client.Id, offer));

        Assert.Equal(offer, await slave.Endpoint.ReceiveAsync(Timeout));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM ens_relay"));
    }

    [Fact]
    public async Task MessageToAnUnknownId_IsDroppedAndCounted()
    {
        var node = await StartNodeAsync("a");

        var delivered = await node.Factory.GetSlave(987_654).DeliverFromClientAsync(1, new OfferFromClient(1, "v=0\r\n"));

        Assert.False(delivered);
        Assert.Equal(1, node.Metrics.RelayDroppedTotal);
    }

    [Fact]
    public async Task MessageForAnEntityNotAttachedOnItsNode_IsDroppedAndCountedThere()
    {
        var (a, b) = (await StartNodeAsync("a"), await StartNodeAsync("b"));
        var marker = await a.AddSlaveAsync("{}");

        // The id is held by A (allocated) but no socket attached yet: B can route it, A has nobody to give it to.
        var unattached = await a.Factory.GetIdAllocator(EntityKind.Slave).AllocateAsync();
        Assert.True(await b.Factory.GetSlave(unattached).DeliverFromClientAsync(7, new OfferFromClient(7, "v=0\r\n")));
        Assert.True(await b.Factory.GetSlave(marker.Id).DeliverFromClientAsync(7, new OfferFromClient(7, "v=0\r\n")));

        // Per-node order: once the later message arrived, the earlier one was processed (and dropped).
        await marker.Endpoint.ReceiveAsync(Timeout);
        Assert.Equal(1, a.Metrics.RelayDroppedTotal);
    }

    [Fact]
    public async Task MessageForADetachedSlave_HasNoRouteOnceItsIdIsReleased()
    {
        var (a, b) = (await StartNodeAsync("a"), await StartNodeAsync("b"));
        var slave = await a.AddSlaveAsync("{}");
        await a.Factory.GetSlave(slave.Id).DetachAsync();

        Assert.False(await b.Factory.GetSlave(slave.Id).DeliverFromClientAsync(7, new OfferFromClient(7, "v=0\r\n")));
        Assert.Equal(1, b.Metrics.RelayDroppedTotal);
        Assert.False(slave.Endpoint.TryReceive(out _));
    }

    [Fact]
    public async Task GrainSemantics_MatchTheInMemoryRuntime()
    {
        var node = await StartNodeAsync("a");
        var id = await node.Factory.GetIdAllocator(EntityKind.Slave).AllocateAsync();
        var endpoint = new RecordingEndpoint();
        var slave = node.Factory.GetSlave(id);

        await Assert.ThrowsAsync<InvalidOperationException>(() => slave.RegisterAsync(JsonUserData.EmptyObject).AsTask());
        await slave.AttachAsync(endpoint);
        await Assert.ThrowsAsync<InvalidOperationException>(() => slave.AttachAsync(endpoint).AsTask());

        // Not addressable before it registered.
        Assert.False(await slave.DeliverFromClientAsync(1, new OfferFromClient(1, "v=0\r\n")));
        await slave.RegisterAsync(JsonUserData.EmptyObject);
        Assert.True(await slave.DeliverFromClientAsync(1, new OfferFromClient(1, "v=0\r\n")));

        // Detaching unlists it and releases its id.
        await slave.DetachAsync();
        Assert.Empty((await node.Registry.GetSnapshotAsync()).Slaves);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM ens_ids WHERE node_id IS NOT NULL"));
    }

    [Fact]
    public void MalformedEnvelope_IsRejectedWithoutThrowing()
    {
        var good = new RelayEnvelope(RelayTarget.Slave, 5, 6, new OfferFromClient(6, "v=0\r\n")).Serialize();
        var limits = new SignalingLimits();

        Assert.True(RelayEnvelope.TryDeserialize(good, limits, out var decoded));
        Assert.Equal(5u, decoded!.TargetId);
        Assert.False(RelayEnvelope.TryDeserialize(good.AsSpan(0, 9), limits, out _));
        Assert.False(RelayEnvelope.TryDeserialize([9, .. good.AsSpan(1)], limits, out _));
        Assert.False(RelayEnvelope.TryDeserialize([.. good.AsSpan(0, 9), 0xEE, .. good.AsSpan(10)], limits, out _));
        Assert.False(RelayEnvelope.TryDeserialize(good, new SignalingLimits { MaxFrameBytes = 4 }, out _));
    }
}
