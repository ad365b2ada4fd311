using System.Text.Json;
using Enslavism.Gateway.Tests.Infrastructure;
using Enslavism.Grains;
using Enslavism.Signaling;
using Microsoft.Extensions.DependencyInjection;
using static Enslavism.Gateway.Tests.Infrastructure.TestMessages;

namespace Enslavism.Gateway.Tests;

/// <summary>Protocol version 2: ClientInfo before a client's first offer to a slave, ClientLeft when the client goes.</summary>
public sealed class ClientInfoTests
{
    [Fact]
    public async Task V2Slave_GetsClientInfoOnceBeforeTheOffer_AndClientLeftWhenTheClientCloses()
    {
        await using var host = await MasterTestHost.StartAsync();
        await using var client = await host.ConnectClientAsync(o => o.SetRequestHeader("Cookie", "token=s3cret; lang=fr"));
        await client.ReceiveAsync<AddSlaves>();
        await using var slave = await host.ConnectSlaveAsync(o => o.AddSubProtocol("enslavism.v2"));
        Assert.Equal("enslavism.v2", slave.Socket.SubProtocol);
        var slaveId = await RegisterAndLearnIdAsync(slave, client, "{}");

        await client.SendAsync(new OfferToSlave(slaveId, "first"));
        var info = await slave.ReceiveAsync<ClientInfo>();
        var offer = await slave.ReceiveAsync<OfferFromClient>();
        Assert.Equal(info.ClientId, offer.ClientId);
        using (var json = info.Info.ToDocument())
        {
            var auth = json.RootElement.GetProperty("auth");
            Assert.Equal("s3cret", auth.GetProperty("token").GetString());
            Assert.Equal("fr", auth.GetProperty("lang").GetString());
            Assert.Equal("127.0.0.1", json.RootElement.GetProperty("address").GetString());
        }

        // A second offer (an ICE restart, say) is not introduced again.
        await client.SendAsync(new OfferToSlave(slaveId, "second"));
        Assert.Equal(new OfferFromClient(offer.ClientId, "second"), await slave.ReceiveAsync());

        await client.CloseAsync();
        Assert.Equal(new ClientLeft(offer.ClientId), await slave.ReceiveAsync());
    }

    [Fact]
    public async Task V1Slave_GetsNeitherClientInfoNorClientLeft()
    {
        var clientGone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await MasterTestHost.StartAsync(o => o.Events.OnClientDisconnected = _ =>
        {
            clientGone.TrySetResult();
            return ValueTask.CompletedTask;
        });
        await using var watcher = await host.ConnectClientAsync();
        await watcher.ReceiveAsync<AddSlaves>();
        await using var v1 = await host.ConnectSlaveAsync();
        await using var v2 = await host.ConnectSlaveAsync(o => o.AddSubProtocol("enslavism.v2"));
        var v1Id = await RegisterAndLearnIdAsync(v1, watcher, "{\"v\":1}");
        var v2Id = await RegisterAndLearnIdAsync(v2, watcher, "{\"v\":2}");
        await using var client = await host.ConnectClientAsync(o => o.SetRequestHeader("Cookie", "token=x"));
        await client.ReceiveAsync<AddSlaves>();

        await client.SendAsync(new OfferToSlave(v1Id, "to v1"));
        await client.SendAsync(new OfferToSlave(v2Id, "to v2"));
        var offer = await v1.ReceiveAsync<OfferFromClient>();
        Assert.Equal("to v1", offer.Sdp);
        await v2.ReceiveAsync<ClientInfo>();
        await v2.ReceiveAsync<OfferFromClient>();

        await client.CloseAsync();
        Assert.Equal(new ClientLeft(offer.ClientId), await v2.ReceiveAsync());
        await clientGone.Task.WaitAsync(TestPeer.Timeout);

        // Everything for the closed client was queued before its disconnect hook ran: the v1 slave's next frame is the
        // watcher's offer, not a ClientLeft (which a 0.9 slave could not decode).
        await watcher.SendAsync(new OfferToSlave(v1Id, "probe"));
        var next = await v1.ReceiveAsync<OfferFromClient>();
        Assert.Equal("probe", next.Sdp);
        Assert.NotEqual(offer.ClientId, next.ClientId);
    }

    [Fact]
    public async Task ClientWithoutCookies_GetsEmptyAuth_AndAnOfferToAMissingSlaveChangesNothing()
    {
        await using var host = await MasterTestHost.StartAsync();
        await using var client = await host.ConnectClientAsync();
        await client.ReceiveAsync<AddSlaves>();
        await using var slave = await host.ConnectSlaveAsync(o => o.AddSubProtocol("enslavism.v2"));
        var slaveId = await RegisterAndLearnIdAsync(slave, client, "{}");

        await client.SendAsync(new OfferToSlave(slaveId + 1000, "nobody"));
        await client.SendAsync(new OfferToSlave(slaveId, "real"));
        var info = await slave.ReceiveAsync<ClientInfo>();
        using (var json = info.Info.ToDocument())
        {
            Assert.Equal(JsonValueKind.Object, json.RootElement.GetProperty("auth").ValueKind);
            Assert.Empty(json.RootElement.GetProperty("auth").EnumerateObject());
        }

        Assert.Equal("real", (await slave.ReceiveAsync<OfferFromClient>()).Sdp);
        await client.CloseAsync();
        Assert.Equal(new ClientLeft(info.ClientId), await slave.ReceiveAsync());
    }

    [Fact]
    public async Task ANewSlaveReusingTheIdOfOneThatLeft_IsIntroducedAgain()
    {
        var slaveGone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await MasterTestHost.StartAsync(
            o => o.Events.OnSlaveDisconnected = _ =>
            {
                slaveGone.TrySetResult();
                return ValueTask.CompletedTask;
            },
            services: s => s.Configure<InMemoryGrainOptions>(o =>
            {
                // One id and no quarantine: the second slave must get the first one's id.
                o.IdQuarantine = TimeSpan.Zero;
                o.MaxId = 0;
            }));
        await using var client = await host.ConnectClientAsync(o => o.SetRequestHeader("Cookie", "token=t"));
        await client.ReceiveAsync<AddSlaves>();
        await using var slave = await host.ConnectSlaveAsync(o => o.AddSubProtocol("enslavism.v2"));
        var slaveId = await RegisterAndLearnIdAsync(slave, client, "{}");
        await client.SendAsync(new OfferToSlave(slaveId, "first"));
        await slave.ReceiveAsync<ClientInfo>();
        await slave.ReceiveAsync<OfferFromClient>();

        await slave.CloseAsync();
        Assert.Equal(new RemoveSlaves([slaveId]), await client.ReceiveAsync());
        await slaveGone.Task.WaitAsync(TestPeer.Timeout);
        await using var next = await host.ConnectSlaveAsync(o => o.AddSubProtocol("enslavism.v2"));
        var nextId = await RegisterAndLearnIdAsync(next, client, "{}");
        Assert.Equal(slaveId, nextId);
        await client.SendAsync(new OfferToSlave(nextId, "again"));

        Assert.IsType<ClientInfo>(await next.ReceiveAsync());
        Assert.Equal("again", (await next.ReceiveAsync<OfferFromClient>()).Sdp);
    }
}
