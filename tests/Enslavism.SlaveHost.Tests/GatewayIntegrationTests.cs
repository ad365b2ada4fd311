using System.Net;
using Enslavism.SlaveHost.Tests.Infrastructure;
using Enslavism.Signaling;

namespace Enslavism.SlaveHost.Tests;

/// <summary>
/// The slave against the real master (Gateway + in-memory grains) on Kestrel, with a raw WebSocket client on the other
/// side. The peer connection is the test double: the WebRTC stack is a separate issue.
/// </summary>
public sealed class GatewayIntegrationTests
{
    private static readonly IceCandidate ClientCandidate = new("0", 0, "candidate:1 1 udp 2122260223 127.0.0.1 40000 typ host");
    private static readonly IceCandidate SlaveCandidate = new("0", 0, "candidate:9 1 udp 2122260223 127.0.0.1 50000 typ host");

    [Fact]
    public async Task Register_AClientSeesTheSlaveWithItsUserData()
    {
        await using var master = await RealMaster.StartAsync();
        await using var client = await RawClient.ConnectAsync(master.BaseUrl);
        await using var slave = new SlaveConnection(new FakePeerConnectionFactory());
        var userData = JsonUserData.Parse("""{"name":"eu-1","players":3}""");

        await slave.ConnectAsync(master.BaseUrl, userData);

        var entry = await client.NextAddedSlaveAsync();
        Assert.Equal(userData, entry.UserData);
    }

    [Fact]
    public async Task UpdateUserData_ClientsSeeTheNewDataUnderTheSameId()
    {
        await using var master = await RealMaster.StartAsync();
        await using var client = await RawClient.ConnectAsync(master.BaseUrl);
        await using var slave = new SlaveConnection(new FakePeerConnectionFactory());
        await slave.ConnectAsync(master.BaseUrl, JsonUserData.Parse("""{"players":0}"""));
        var first = await client.NextAddedSlaveAsync();

        Assert.True(slave.TryUpdateUserData(JsonUserData.Parse("""{"players":1}""")));

        // Enslavism 0.9 clients know no update message, so the master relists: removed, then added with the new data.
        Assert.Equal([first.Id], (await client.ReceiveAsync<RemoveSlaves>()).Ids);
        var updated = await client.NextAddedSlaveAsync();
        Assert.Equal(first.Id, updated.Id);
        Assert.Equal(JsonUserData.Parse("""{"players":1}"""), updated.UserData);
    }

    [Fact]
    public async Task Offer_ThePeerAnswers_AndCandidatesFlowBothWays()
    {
        await using var master = await RealMaster.StartAsync();
        var peers = new FakePeerConnectionFactory { ManualAnswers = true };
        await using var slave = new SlaveConnection(peers);
        await slave.ConnectAsync(master.BaseUrl, JsonUserData.EmptyObject);
        await using var client = await RawClient.ConnectAsync(master.BaseUrl);
        var slaveId = (await client.NextAddedSlaveAsync()).Id;

        await client.SendAsync(new OfferToSlave(slaveId, "v=0 browser offer"));
        var peer = await peers.NextAsync();
        Assert.Equal("v=0 browser offer", await peer.Offer.Within("the offer at the peer"));
        await client.SendAsync(new IceCandidateToSlave(slaveId, ClientCandidate));
        peer.RaiseLocalCandidate(SlaveCandidate);
        peer.Answer("v=0 slave answer");
        peer.RaiseLocalCandidate(null);
        await client.SendAsync(new IceCandidateToSlave(slaveId, null));

        Assert.Equal(new AnswerFromSlave(slaveId, "v=0 slave answer"), await client.ReceiveAsync<AnswerFromSlave>());
        Assert.Equal(new IceCandidateFromSlave(slaveId, SlaveCandidate), await client.ReceiveAsync<IceCandidateFromSlave>());
        Assert.Equal(new IceCandidateFromSlave(slaveId, null), await client.ReceiveAsync<IceCandidateFromSlave>());
        Assert.Equal(ClientCandidate, await peer.NextRemoteCandidateAsync());
        Assert.Null(await peer.NextRemoteCandidateAsync());
    }

    [Fact]
    public async Task Offer_RejectedByAdmission_TheClientGetsRejectFromSlave()
    {
        await using var master = await RealMaster.StartAsync();
        var peers = new FakePeerConnectionFactory();
        await using var slave = new SlaveConnection(peers) { OfferAdmission = (_, _) => ValueTask.FromResult(OfferDecision.Reject) };
        await slave.ConnectAsync(master.BaseUrl, JsonUserData.EmptyObject);
        await using var client = await RawClient.ConnectAsync(master.BaseUrl);
        var slaveId = (await client.NextAddedSlaveAsync()).Id;

        await client.SendAsync(new OfferToSlave(slaveId, "v=0 offer"));

        Assert.Equal(new RejectFromSlave(slaveId), await client.ReceiveAsync<RejectFromSlave>());
        Assert.Equal(0, peers.CreatedCount);
    }

    [Fact]
    public async Task AuthRefused_SlaveAuthRejectedExceptionCarriesTheMastersReason()
    {
        await using var master = await RealMaster.StartAsync(o => o.Events.OnSlaveAuthenticating = auth =>
        {
            if (!auth.AuthData.TryGetValue("password", out var password) || password != "s3cret; really")
            {
                auth.Reject("wrong password");
            }

            return ValueTask.CompletedTask;
        });
        await using var refused = new SlaveConnection(new FakePeerConnectionFactory());
        await using var admitted = new SlaveConnection(new FakePeerConnectionFactory());

        var error = await Assert.ThrowsAsync<SlaveAuthRejectedException>(() =>
            refused.ConnectAsync(master.BaseUrl, JsonUserData.EmptyObject, new Dictionary<string, string> { ["password"] = "guess" }));
        await admitted.ConnectAsync(master.BaseUrl, JsonUserData.EmptyObject, new Dictionary<string, string> { ["password"] = "s3cret; really" });

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal("wrong password", error.Reason);
    }

    [Fact]
    public async Task SlaveDisposed_TheClientSeesRemoveSlaves()
    {
        await using var master = await RealMaster.StartAsync();
        var slave = new SlaveConnection(new FakePeerConnectionFactory());
        await slave.ConnectAsync(master.BaseUrl, JsonUserData.EmptyObject);
        await using var client = await RawClient.ConnectAsync(master.BaseUrl);
        var slaveId = (await client.NextAddedSlaveAsync()).Id;

        await slave.DisposeAsync();

        Assert.Equal([slaveId], (await client.ReceiveAsync<RemoveSlaves>()).Ids);
        Assert.Equal(SlaveDisconnectReason.Disposed, (await slave.Completion).Reason);
    }

    [Fact]
    public async Task MasterStops_TheSlaveReportsTheDisconnectAndReleasesItsClients()
    {
        var master = await RealMaster.StartAsync();
        var peers = new FakePeerConnectionFactory();
        await using var slave = new SlaveConnection(peers);
        await slave.ConnectAsync(master.BaseUrl, JsonUserData.EmptyObject);
        await using (var client = await RawClient.ConnectAsync(master.BaseUrl))
        {
            var slaveId = (await client.NextAddedSlaveAsync()).Id;
            await client.SendAsync(new OfferToSlave(slaveId, "v=0 offer"));
            await client.ReceiveAsync<AnswerFromSlave>();
        }

        var peer = await peers.NextAsync();
        await master.DisposeAsync();

        var end = await slave.Completion.Within("the slave to notice the master stopped");
        Assert.NotEqual(SlaveDisconnectReason.Disposed, end.Reason);
        Assert.True(peer.IsDisposed);
        Assert.Equal(0, slave.ClientCount);
    }
}
