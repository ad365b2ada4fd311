using System.Text.Json;
using Xunit.Abstractions;

namespace Enslavism.Browser.Tests;

/// <summary>
/// Checks, in the real Chromium, the claim SlaveConnection relies on: once the first data channel has negotiated an
/// SCTP association, further channels open in band (DCEP) with no new offer and no negotiationneeded event. Two peer
/// connections in one page play client and slave, with plain browser APIs.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DataChannelRenegotiationTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public async Task SecondDataChannel_OpensWithoutRenegotiation()
    {
        await using var server = await MasterServer.StartAsync();
        await using var tab = await browser.NewPageAsync(output);
        await tab.Page.GotoAsync(server.PageUri.ToString());

        var result = await tab.Page.EvaluateAsync<JsonElement>(
            """
            async () => {
              const client = new RTCPeerConnection({ iceServers: [] });
              const slave = new RTCPeerConnection({ iceServers: [] });
              // Trickle both ways, end-of-candidates included.
              client.onicecandidate = (e) => slave.addIceCandidate(e.candidate ?? undefined);
              slave.onicecandidate = (e) => client.addIceCandidate(e.candidate ?? undefined);
              let negotiationNeeded = 0;
              client.onnegotiationneeded = () => negotiationNeeded++;
              const received = new Map();
              slave.ondatachannel = (e) => {
                const channel = e.channel;
                channel.onmessage = (m) => { received.set(channel.label, m.data); channel.send('echo:' + m.data); };
              };
              const opened = (channel) => new Promise((resolve, reject) => {
                channel.onopen = () => resolve(channel);
                channel.onclose = () => reject(new Error(channel.label + ' closed'));
              });
              const echoed = (channel, text) => new Promise((resolve) => {
                channel.onmessage = (m) => resolve(m.data);
                channel.send(text);
              });

              const first = client.createDataChannel('first');
              await client.setLocalDescription(await client.createOffer());
              await slave.setRemoteDescription(client.localDescription);
              await slave.setLocalDescription(await slave.createAnswer());
              await client.setRemoteDescription(slave.localDescription);
              await opened(first);
              const firstEcho = await echoed(first, 'one');
              const offersBefore = negotiationNeeded;
              const sdpBefore = client.localDescription.sdp;

              const second = client.createDataChannel('second', { ordered: false, maxRetransmits: 0, protocol: 'game' });
              await opened(second);
              const secondEcho = await echoed(second, 'two');
              // negotiationneeded is queued as a task; by the time a round trip on the new channel completed it would have fired.
              await new Promise((resolve) => setTimeout(resolve, 0));
              const outcome = {
                negotiationNeededBefore: offersBefore,
                negotiationNeededAfter: negotiationNeeded,
                sameLocalDescription: client.localDescription.sdp === sdpBefore,
                signalingState: client.signalingState,
                firstEcho, secondEcho,
                secondOrdered: second.ordered, secondMaxRetransmits: second.maxRetransmits, secondProtocol: second.protocol,
              };
              client.close();
              slave.close();
              return outcome;
            }
            """);

        Assert.Equal("echo:one", result.GetProperty("firstEcho").GetString());
        Assert.Equal("echo:two", result.GetProperty("secondEcho").GetString());
        Assert.Equal(result.GetProperty("negotiationNeededBefore").GetInt32(), result.GetProperty("negotiationNeededAfter").GetInt32());
        Assert.True(result.GetProperty("sameLocalDescription").GetBoolean());
        Assert.Equal("stable", result.GetProperty("signalingState").GetString());
        Assert.False(result.GetProperty("secondOrdered").GetBoolean());
        Assert.Equal(0, result.GetProperty("secondMaxRetransmits").GetInt32());
        Assert.Equal("game", result.GetProperty("secondProtocol").GetString());
    }
}
