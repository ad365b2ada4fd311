using Enslavism.Gateway.Tests.Infrastructure;
using Enslavism.Signaling;
using static Enslavism.Gateway.Tests.Infrastructure.TestMessages;

namespace Enslavism.Gateway.Tests;

public sealed class RelayTests
{
    private static readonly IceCandidate Candidate = new("0", 0, "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host");

    [Fact]
    public async Task Signaling_IsRelayedInEveryDirection_WithIdsRewrittenToTheSender()
    {
        await using var host = await MasterTestHost.StartAsync();
        await using var client = await host.ConnectClientAsync();
        await client.ReceiveAsync<AddSlaves>();
        await using var slaveA = await host.ConnectSlaveAsync();
        await using var slaveB = await host.ConnectSlaveAsync();
        var idA = await RegisterAndLearnIdAsync(slaveA, client, "{\"n\":\"a\"}");
        var idB = await RegisterAndLearnIdAsync(slaveB, client, "{\"n\":\"b\"}");

        await client.SendAsync(new OfferToSlave(idB, "v=0 offer"));
        var offer = await slaveB.ReceiveAsync<OfferFromClient>();
        Assert.Equal("v=0 offer", offer.Sdp);
        var clientId = offer.ClientId;

        await client.SendAsync(new IceCandidateToSlave(idB, Candidate));
        Assert.Equal(new IceCandidateFromClient(clientId, Candidate), await slaveB.ReceiveAsync());
        await client.SendAsync(new IceCandidateToSlave(idB, null));
        Assert.Equal(new IceCandidateFromClient(clientId, null), await slaveB.ReceiveAsync());

        await slaveB.SendAsync(new AnswerToClient(clientId, "v=0 answer"));
        Assert.Equal(new AnswerFromSlave(idB, "v=0 answer"), await client.ReceiveAsync());
        await slaveB.SendAsync(new IceCandidateToClient(clientId, Candidate));
        Assert.Equal(new IceCandidateFromSlave(idB, Candidate), await client.ReceiveAsync());

        // Slave A answers the same client: the client sees A's id, never one the slave could choose.
        await slaveA.SendAsync(new RejectToClient(clientId));
        Assert.Equal(new RejectFromSlave(idA), await client.ReceiveAsync());
    }

    [Fact]
    public async Task TwoClients_AreToldApartBySlaves()
    {
        await using var host = await MasterTestHost.StartAsync();
        await using var first = await host.ConnectClientAsync();
        await using var second = await host.ConnectClientAsync();
        await first.ReceiveAsync<AddSlaves>();
        await second.ReceiveAsync<AddSlaves>();
        await using var slave = await host.ConnectSlaveAsync();
        var slaveId = await RegisterAndLearnIdAsync(slave, first, "{}");
        await second.ReceiveAsync<AddSlaves>();

        await first.SendAsync(new OfferToSlave(slaveId, "from first"));
        var firstId = (await slave.ReceiveAsync<OfferFromClient>()).ClientId;
        await second.SendAsync(new OfferToSlave(slaveId, "from second"));
        var secondId = (await slave.ReceiveAsync<OfferFromClient>()).ClientId;
        Assert.NotEqual(firstId, secondId);

        await slave.SendAsync(new AnswerToClient(secondId, "to second"));
        await slave.SendAsync(new AnswerToClient(firstId, "to first"));
        Assert.Equal(new AnswerFromSlave(slaveId, "to second"), await second.ReceiveAsync());
        Assert.Equal(new AnswerFromSlave(slaveId, "to first"), await first.ReceiveAsync());
    }

    [Fact]
    public async Task MessagesToMissingOrUnregisteredPeers_AreDropped_AndTheSenderKeepsWorking()
    {
        await using var host = await MasterTestHost.StartAsync();
        await using var client = await host.ConnectClientAsync();
        await client.ReceiveAsync<AddSlaves>();
        await using var unregistered = await host.ConnectSlaveAsync();
        await using var slave = await host.ConnectSlaveAsync();
        var slaveId = await RegisterAndLearnIdAsync(slave, client, "{}");

        await client.SendAsync(new OfferToSlave(slaveId + 1000, "nobody"));
        await client.SendAsync(new OfferToSlave(slaveId - 1, "unregistered slave"));
        await client.SendAsync(new OfferToSlave(slaveId, "real"));
        var offer = await slave.ReceiveAsync<OfferFromClient>();
        Assert.Equal("real", offer.Sdp);

        await slave.SendAsync(new AnswerToClient(offer.ClientId + 1000, "nobody"));
        await slave.SendAsync(new AnswerToClient(offer.ClientId, "real"));
        Assert.Equal(new AnswerFromSlave(slaveId, "real"), await client.ReceiveAsync());

        // The unregistered slave was never addressed: its first frame is the one we now make it receive.
        await unregistered.SendAsync(new Register(Json("{}")));
        var unregisteredId = Assert.Single((await client.ReceiveAsync<AddSlaves>()).Slaves).Id;
        Assert.Equal(slaveId - 1, unregisteredId);
        await client.SendAsync(new OfferToSlave(unregisteredId, "now listed"));
        Assert.Equal("now listed", (await unregistered.ReceiveAsync<OfferFromClient>()).Sdp);
    }

    [Fact]
    public async Task SlaveLeaving_IsRemovedForAllClients_AndOffersToItAreDropped()
    {
        await using var host = await MasterTestHost.StartAsync();
        await using var first = await host.ConnectClientAsync();
        await using var second = await host.ConnectClientAsync();
        await first.ReceiveAsync<AddSlaves>();
        await second.ReceiveAsync<AddSlaves>();
        await using var leaving = await host.ConnectSlaveAsync();
        await using var staying = await host.ConnectSlaveAsync();
        var leavingId = await RegisterAndLearnIdAsync(leaving, first, "{\"n\":1}");
        var stayingId = await RegisterAndLearnIdAsync(staying, first, "{\"n\":2}");
        await second.ReceiveAsync<AddSlaves>();
        await second.ReceiveAsync<AddSlaves>();

        await leaving.CloseAsync();
        Assert.Equal([leavingId], (await first.ReceiveAsync<RemoveSlaves>()).Ids);
        Assert.Equal([leavingId], (await second.ReceiveAsync<RemoveSlaves>()).Ids);

        await first.SendAsync(new OfferToSlave(leavingId, "too late"));
        await first.SendAsync(new OfferToSlave(stayingId, "fine"));
        Assert.Equal("fine", (await staying.ReceiveAsync<OfferFromClient>()).Sdp);
    }

    [Fact]
    public async Task SlaveWhoseConnectionDropsWithoutAClose_IsRemovedToo()
    {
        await using var host = await MasterTestHost.StartAsync();
        await using var client = await host.ConnectClientAsync();
        await client.ReceiveAsync<AddSlaves>();
        await using var slave = await host.ConnectSlaveAsync();
        var id = await RegisterAndLearnIdAsync(slave, client, "{}");

        slave.Socket.Abort();

        Assert.Equal([id], (await client.ReceiveAsync<RemoveSlaves>()).Ids);
    }

    [Fact]
    public async Task ClientLeaving_MakesAnswersToItDropped()
    {
        await using var host = await MasterTestHost.StartAsync();
        await using var watcher = await host.ConnectClientAsync();
        await watcher.ReceiveAsync<AddSlaves>();
        await using var slave = await host.ConnectSlaveAsync();
        var slaveId = await RegisterAndLearnIdAsync(slave, watcher, "{}");
        uint goneId;
        await using (var gone = await host.ConnectClientAsync())
        {
            await gone.ReceiveAsync<AddSlaves>();
            await gone.SendAsync(new OfferToSlave(slaveId, "x"));
            goneId = (await slave.ReceiveAsync<OfferFromClient>()).ClientId;
            await gone.CloseAsync();
        }

        await slave.SendAsync(new AnswerToClient(goneId, "lost"));
        await watcher.SendAsync(new OfferToSlave(slaveId, "y"));
        var watcherId = (await slave.ReceiveAsync<OfferFromClient>()).ClientId;
        Assert.NotEqual(goneId, watcherId);
        await slave.SendAsync(new AnswerToClient(watcherId, "kept"));
        Assert.Equal(new AnswerFromSlave(slaveId, "kept"), await watcher.ReceiveAsync());
    }
}
