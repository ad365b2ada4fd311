using System.Net;
using Enslavism.SlaveHost.EchoHost;
using Enslavism.SlaveHost.Tests.Infrastructure;
using Enslavism.SlaveHost.WebRtcHosting;
using Enslavism.Signaling;
using Enslavism.WebRtc.Host;
using Microsoft.Extensions.Logging.Abstractions;

namespace Enslavism.SlaveHost.Tests;

/// <summary>
/// Protocol version 2 with real parts: the real master on Kestrel, a real <see cref="EnslavismSlave"/>, and a .NET WebRTC
/// client signalling through a raw client WebSocket that carries cookies.
/// </summary>
public sealed class ClientInfoTests
{
    [Fact]
    public async Task V2Master_OfferHookSeesClientAuthData_AndClientWebSocketClosing_ClosesTheConnectionAsClientLeft()
    {
        await using var master = await RealMaster.StartAsync();
        await using var slave = new EnslavismSlave(webRtcOptions: new SlaveWebRtcOptions { BindAddress = "127.0.0.1", LoopbackOnly = true });
        var seen = new TaskCompletionSource<IncomingOffer>(TaskCreationOptions.RunContinuationsAsynchronously);
        var accepted = new TaskCompletionSource<ClientConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        slave.OfferAdmission = (offer, _) =>
        {
            seen.TrySetResult(offer);
            return ValueTask.FromResult(offer.Client?.AuthData.GetValueOrDefault("player") == "alice" ? OfferDecision.Accept : OfferDecision.Reject);
        };
        slave.ClientConnected += (_, e) =>
        {
            EchoHostRunner.AttachEcho(e.Client, NullLogger.Instance);
            accepted.TrySetResult(e.Client);
        };
        await slave.ConnectAsync(master.BaseUrl, JsonUserData.Parse("""{"name":"v2"}"""));
        Assert.Equal(SignalingCodec.Version2, slave.Connection.ProtocolVersion);

        await using var endpoint = new WebRtcEndpoint(new WebRtcEndpointOptions { BindEndPoint = new IPEndPoint(IPAddress.Loopback, 0), LoopbackOnly = true });
        var raw = await RawClient.ConnectAsync(master.BaseUrl, "player=alice; team=red");
        await using var rawGuard = raw;
        var entry = await raw.NextAddedSlaveAsync();
        var offer = await endpoint.CreateOfferAsync();
        await raw.SendAsync(new OfferToSlave(entry.Id, offer.Sdp));
        var answer = await raw.ReceiveAsync<AnswerFromSlave>();
        var peer = await endpoint.ConnectAsync(offer, answer.Sdp);
        await peer.WhenConnected.Within("WebRTC to connect");
        var client = await accepted.Task.Within("the slave's connection event");

        var incoming = await seen.Task.Within("the offer hook");
        Assert.NotNull(incoming.Client);
        Assert.Equal("alice", incoming.Client.AuthData["player"]);
        Assert.Equal("red", incoming.Client.AuthData["team"]);
        Assert.Equal("127.0.0.1", incoming.Client.Address);
        Assert.Equal(client.ClientId, incoming.ClientId);

        // Only the signaling socket goes: the WebRTC session is untouched, yet the slave learns the client left.
        Assert.False(peer.WhenClosed.IsCompleted);
        await raw.DisposeAsync();

        var closed = await client.Completion.Within("the client connection to close");
        Assert.Equal(ClientCloseReason.ClientLeft, closed.Reason);
        Assert.Contains("master", closed.Detail, StringComparison.Ordinal);
        await peer.WhenClosed.Within("the released session to end on the client side too");
        Assert.True(SpinWait.SpinUntil(() => slave.ClientCount == 0, TestTimeouts.Event), $"clients {slave.ClientCount}");
    }

    [Fact]
    public async Task V1Master_OfferHasNoClientInfo_EvenIfAClientInfoFrameArrives()
    {
        IncomingOffer? seen = null;
        await using var h = await SlaveHarness.StartAsync(beforeConnect: s => s.OfferAdmission = (offer, _) =>
        {
            seen = offer;
            return ValueTask.FromResult(OfferDecision.Reject);
        });
        Assert.Equal(SignalingCodec.Version1, h.Slave.ProtocolVersion);

        await h.Socket.SendAsync(new ClientInfo(3, JsonUserData.Parse("""{"auth":{"player":"mallory"}}""")));
        await h.Socket.SendAsync(new OfferFromClient(3, "offer-3"));

        Assert.Equal(new RejectToClient(3), await h.Socket.ReceiveAsync<RejectToClient>());
        Assert.NotNull(seen);
        Assert.Null(seen.Client);
    }
}
