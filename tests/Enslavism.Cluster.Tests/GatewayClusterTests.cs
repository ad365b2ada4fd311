using System.Text.Json;
using Enslavism.Cluster.Tests.Infrastructure;
using Enslavism.Signaling;

namespace Enslavism.Cluster.Tests;

/// <summary>Three complete master nodes (Kestrel + gateway + cluster provider) sharing one database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class GatewayClusterTests(PostgresServer server) : ClusterTestBase(server)
{
    private readonly List<IAsyncDisposable> _owned = [];

    public override async Task DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        await base.DisposeAsync();
    }

    [Fact]
    public async Task SlaveOnA_IsSeenOnBAndC_SignaledFromC_AndItsRemovalPropagates()
    {
        var a = await Own(GatewayNode.StartAsync(ConnectionString, "gw-a"));
        var b = await Own(GatewayNode.StartAsync(ConnectionString, "gw-b"));
        var c = await Own(GatewayNode.StartAsync(ConnectionString, "gw-c"));
        var onB = new ClientListView(await Own(b.ConnectClientAsync()));
        var clientC = await Own(c.ConnectClientAsync());
        var onC = new ClientListView(clientC);

        var slave = await Own(a.ConnectSlaveAsync());
        await slave.SendAsync(new Register(JsonUserData.Parse("""{"name":"on-a"}""")));
        await onB.WaitUntilAsync(list => list.Count == 1);
        await onC.WaitUntilAsync(list => list.Count == 1);
        var (slaveId, userData) = onC.Slaves.Single();
        Assert.Equal("""{"name":"on-a"}""", userData.ToString());
        Assert.Equal([slaveId], onB.Slaves.Keys);

        // Client on C → slave on A, and the answer back, through the backplane.
        await clientC.SendAsync(new OfferToSlave(slaveId, "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n"));
        var offer = await slave.ReceiveAsync<OfferFromClient>();
        Assert.Equal("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n", offer.Sdp);
        await slave.SendAsync(new IceCandidateToClient(offer.ClientId, new IceCandidate("0", 0, "candidate:1 1 udp 1 127.0.0.1 9 typ host")));
        await slave.SendAsync(new AnswerToClient(offer.ClientId, "v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\n"));
        var candidate = await clientC.ReceiveAsync<IceCandidateFromSlave>();
        var answer = await clientC.ReceiveAsync<AnswerFromSlave>();
        Assert.Equal(slaveId, candidate.SlaveId);
        Assert.Equal(slaveId, answer.SlaveId);
        Assert.Equal("v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\n", answer.Sdp);

        // The slave leaves: every client on every node sees it go.
        await slave.CloseAsync();
        await onB.WaitUntilAsync(list => list.Count == 0);
        await onC.WaitUntilAsync(list => list.Count == 0);
    }

    [Fact]
    public async Task V2SlaveOnA_GetsClientInfoAndClientLeft_FromAClientOnB()
    {
        var a = await Own(GatewayNode.StartAsync(ConnectionString, "gw-a"));
        var b = await Own(GatewayNode.StartAsync(ConnectionString, "gw-b"));
        var client = await b.ConnectClientAsync("token=from-b");
        await using var clientGuard = client;
        var onB = new ClientListView(client);
        var slave = await Own(a.ConnectSlaveAsync("enslavism.v2"));
        Assert.Equal(SignalingCodec.Version2, slave.Version);
        await slave.SendAsync(new Register(JsonUserData.Parse("""{"name":"v2-on-a"}""")));
        await onB.WaitUntilAsync(list => list.Count == 1);
        var slaveId = onB.Slaves.Keys.Single();

        await client.SendAsync(new OfferToSlave(slaveId, "v=0 offer"));
        var info = await slave.ReceiveAsync<ClientInfo>();
        var offer = await slave.ReceiveAsync<OfferFromClient>();
        Assert.Equal(info.ClientId, offer.ClientId);
        using (var json = info.Info.ToDocument())
        {
            Assert.Equal("from-b", json.RootElement.GetProperty("auth").GetProperty("token").GetString());
        }

        await client.CloseAsync();
        Assert.Equal(new ClientLeft(offer.ClientId), await slave.ReceiveAsync());
    }

    [Fact]
    public async Task Healthz_ReportsTheBackplane()
    {
        var a = await Own(GatewayNode.StartAsync(ConnectionString, "gw-a"));
        using var http = new HttpClient { BaseAddress = a.HttpAddress, Timeout = Timeout };

        using var response = await http.GetAsync("/healthz");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
        var backplane = json.RootElement.GetProperty("checks").GetProperty("enslavism-backplane");
        Assert.True(backplane.GetProperty("data").GetProperty("connected").GetBoolean());
        Assert.Equal("Postgres", backplane.GetProperty("data").GetProperty("provider").GetString());
    }

    private async Task<T> Own<T>(Task<T> start)
        where T : IAsyncDisposable
    {
        var value = await start;
        _owned.Add(value);
        return value;
    }
}
