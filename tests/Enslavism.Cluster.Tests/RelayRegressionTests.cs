using Enslavism.Cluster.Tests.Infrastructure;
using Enslavism.Grains.Postgres.Relay;
using Enslavism.Signaling;

namespace Enslavism.Cluster.Tests;

/// <summary>Regressions found by the cluster benchmark: merged identical NOTIFYs, and the dead sender after a restart.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RelayRegressionTests(PostgresServer server) : ClusterTestBase(server)
{
    [Fact]
    public async Task ByteIdenticalMessages_CrossNode_AllArrive()
    {
        const int count = 200;
        var (a, b) = (await StartNodeAsync("a"), await StartNodeAsync("b"));
        var slave = await a.AddSlaveAsync("{}");
        var client = await b.AddClientAsync();
        var offer = new OfferFromClient(client.Id, "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n");

        // Queued back to back so the sender packs them into multi-message batches (one transaction each).
        for (var i = 0; i < count; i++)
        {
            Assert.True(b.Node.Transport.TrySend(a.Node.NodeId, new RelayEnvelope(RelayTarget.Slave, slave.Id, client.Id, offer)));
        }

        var marker = new OfferFromClient(client.Id, "v=0\r\no=- marker\r\n");
        Assert.True(b.Node.Transport.TrySend(a.Node.NodeId, new RelayEnvelope(RelayTarget.Slave, slave.Id, client.Id, marker)));

        // Per-sender order: everything sent before the marker arrives before it, so the count is final once it is seen.
        var received = 0;
        while (await slave.Endpoint.ReceiveAsync(Timeout) is var message && message != marker)
        {
            Assert.Equal(offer, message);
            received++;
        }

        Assert.Equal(count, received);
        Assert.Equal(count + 1, a.Metrics.RelayReceivedTotal);
        Assert.Equal(0, a.Metrics.RelayGapsTotal);
        Assert.Equal(0, a.Metrics.RelayDuplicatesTotal);
        Assert.Equal(0, b.Metrics.RelayDroppedTotal);
    }

    [Fact]
    public async Task PostgresRestart_FirstCrossNodeMessageOnceHealthy_IsDelivered()
    {
        var (a, b) = (await StartNodeAsync("a"), await StartNodeAsync("b"));
        var slave = await a.AddSlaveAsync("{}");
        var client = await b.AddClientAsync();

        // Both senders have opened their connection before the restart.
        var before = new OfferFromClient(client.Id, "v=0\r\no=- before\r\n");
        Assert.True(await b.Factory.GetSlave(slave.Id).DeliverFromClientAsync(client.Id, before));
        Assert.Equal(before, await slave.Endpoint.ReceiveAsync(Timeout));
        var answerBefore = new AnswerFromSlave(slave.Id, "v=0\r\no=- before\r\n");
        Assert.True(await a.Factory.GetClientSession(client.Id).DeliverFromSlaveAsync(slave.Id, answerBefore));
        Assert.Equal(answerBefore, await client.Endpoint.ReceiveAsync(Timeout));

        await Server.StopAsync();
        await WaitUntilAsync(() => !a.Node.IsConnected && !b.Node.IsConnected);
        await Server.StartAsync();
        await WaitUntilAsync(() => a.Node.IsConnected && b.Node.IsConnected);

        var offer = new OfferFromClient(client.Id, "v=0\r\no=- after\r\n");
        Assert.True(await b.Factory.GetSlave(slave.Id).DeliverFromClientAsync(client.Id, offer));
        Assert.Equal(offer, await slave.Endpoint.ReceiveAsync(Timeout));
        var answer = new AnswerFromSlave(slave.Id, "v=0\r\no=- after\r\n");
        Assert.True(await a.Factory.GetClientSession(client.Id).DeliverFromSlaveAsync(slave.Id, answer));
        Assert.Equal(answer, await client.Endpoint.ReceiveAsync(Timeout));
        Assert.Equal(0, a.Metrics.RelayDroppedTotal);
        Assert.Equal(0, b.Metrics.RelayDroppedTotal);
    }

    [Fact]
    public async Task RepeatedSequence_IsIgnored_AndAJumpIsCountedAsLost()
    {
        var a = await StartNodeAsync("a");
        var slave = await a.AddSlaveAsync("{}");
        const long sender = 0x5eed;
        var first = new OfferFromClient(7, "v=0\r\no=- first\r\n");
        var second = new OfferFromClient(7, "v=0\r\no=- second\r\n");

        // As another node would send them, each in its own transaction: 1, 1 again (a retried batch), 3 (2 was lost),
        // and a payload without a sequence.
        await NotifyAsync(a, RelayPayload.Prefix(false, sender, 1) + Envelope(slave.Id, first));
        await NotifyAsync(a, RelayPayload.Prefix(false, sender, 1) + Envelope(slave.Id, first));
        await NotifyAsync(a, "m" + Envelope(slave.Id, first));
        await NotifyAsync(a, RelayPayload.Prefix(false, sender, 3) + Envelope(slave.Id, second));

        Assert.Equal(first, await slave.Endpoint.ReceiveAsync(Timeout));
        Assert.Equal(second, await slave.Endpoint.ReceiveAsync(Timeout));
        Assert.False(slave.Endpoint.TryReceive(out _));
        Assert.Equal(1, a.Metrics.RelayDuplicatesTotal);
        Assert.Equal(1, a.Metrics.RelayGapsTotal);
        Assert.Equal(1, a.Metrics.RelayDroppedTotal); // the malformed one
    }

    private static string Envelope(uint slaveId, SignalingMessage message) =>
        Convert.ToBase64String(new RelayEnvelope(RelayTarget.Slave, slaveId, 7, message).Serialize());

    private async Task NotifyAsync(TestNode node, string payload) =>
        await ScalarAsync<object>("SELECT pg_notify($1, $2)", NotifySignalingTransport.ChannelName(node.Node.NodeId), payload);

    /// <summary>Node health has no event to await; a short bounded poll stands in for one.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        while (!condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), deadline.Token);
        }
    }
}
