using System.Text.Json;
using Xunit.Abstractions;

namespace Enslavism.Browser.Tests;

/// <summary>
/// The whole path with real parts: the page's MasterConnection and SlaveConnection, the real master, and a slave that
/// really answers. Here the slave is a second RTCPeerConnection in the same page (a Chrome↔Chrome reference), speaking
/// protocol version 1 over its own WebSocket to /enslavism/slaves; <see cref="NetSlaveEndToEndTests"/> uses the .NET slave.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class EndToEndTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const string StartPageSlave = """
        async (slavesUrl) => {
          const log = { offers: 0, clientCandidates: 0, clientEndOfCandidates: 0, candidateErrors: [], channels: [], closed: 0 };
          const ws = new WebSocket(slavesUrl);
          ws.binaryType = 'arraybuffer';
          const send = (message) => ws.send(Enslavism.encode(message));
          const peers = new Map();
          ws.onmessage = (e) => {
            const result = Enslavism.decode(e.data);
            if (!result.ok) { log.decodeError = result.error.kind; return; }
            const m = result.message;
            if (m.type === 'OfferFromClient') {
              log.offers++;
              const pc = new RTCPeerConnection({ iceServers: [] });
              const peer = { pc, queue: Promise.resolve() };
              peers.set(m.id, peer);
              pc.onicecandidate = ({ candidate: c }) => send({ type: 'IceCandidateToClient', id: m.id,
                candidate: c === null ? null : { sdpMid: c.sdpMid ?? '0', sdpMLineIndex: c.sdpMLineIndex ?? 0, candidate: c.candidate } });
              pc.ondatachannel = ({ channel }) => {
                log.channels.push({ label: channel.label, ordered: channel.ordered, maxRetransmits: channel.maxRetransmits, protocol: channel.protocol });
                channel.onmessage = (msg) => channel.send('echo:' + msg.data);
                channel.onclose = () => log.closed++;
              };
              // Candidates may arrive while the offer is still being applied: keep them in order behind it.
              peer.queue = peer.queue.then(async () => {
                await pc.setRemoteDescription({ type: 'offer', sdp: m.sdp });
                await pc.setLocalDescription(await pc.createAnswer());
                send({ type: 'AnswerToClient', id: m.id, sdp: pc.localDescription.sdp });
              });
            } else if (m.type === 'IceCandidateFromClient') {
              const peer = peers.get(m.id);
              if (m.candidate === null) log.clientEndOfCandidates++; else log.clientCandidates++;
              peer.queue = peer.queue.then(() => peer.pc.addIceCandidate(m.candidate ?? { candidate: '' }))
                .catch((err) => log.candidateErrors.push(String(err)));
            }
          };
          await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = () => reject(new Error('slave socket failed')); });
          send({ type: 'Register', userData: Enslavism.JsonUserData.fromValue({ name: 'page-slave' }) });
          window.pageSlave = { log, peers };
        }
        """;

    // Records, per peer connection, each remote candidate given to the real addIceCandidate and whether it was accepted.
    private const string SpyOnAddIceCandidate = """
        () => {
          const original = RTCPeerConnection.prototype.addIceCandidate;
          RTCPeerConnection.prototype.addIceCandidate = function (candidate) {
            const record = { end: candidate == null || candidate.candidate === '', ok: undefined };
            (this.addedCandidates ??= []).push(record);
            return original.call(this, candidate).then(
              () => { record.ok = true; },
              (e) => { record.ok = false; record.error = String(e); throw e; });
          };
        }
        """;

    private const string OpenTwoChannels = """
        async (slaveId) => {
          const slave = harness.master.getSlave(slaveId);
          const disconnected = [];
          slave.addEventListener('disconnected', (e) => disconnected.push(e.reason));
          const echo = (channel, text) => new Promise((resolve) => { channel.onmessage = (m) => resolve(m.data); channel.send(text); });
          const first = await slave.createDataChannel('reliable');
          const firstEcho = await echo(first, 'one');
          const pc = slave.peerConnection;
          let negotiationNeeded = 0;
          pc.addEventListener('negotiationneeded', () => negotiationNeeded++);
          const second = await slave.createDataChannel('fast', { ordered: false, maxRetransmits: 0, protocol: 'game' });
          const secondEcho = await echo(second, 'two');
          const outcome = {
            firstEcho, secondEcho, negotiationNeeded,
            samePeerConnection: slave.peerConnection === pc,
            signalingState: pc.signalingState,
            openLabels: Object.keys(slave.dataChannels).sort(),
          };
          window.e2e = { slave, pc, disconnected };
          return outcome;
        }
        """;

    [Fact]
    public async Task DataChannels_OpenThroughTheMaster_SecondOneWithoutANewOffer()
    {
        await using var master = await MasterServer.StartAsync();
        await using var tab = await browser.NewPageAsync(output);
        var page = tab.Page;
        await page.GotoAsync(master.PageUri.ToString());
        await page.EvaluateAsync(SpyOnAddIceCandidate);
        await page.EvaluateAsync(StartPageSlave, master.SlavesUri.ToString());
        var slaveId = await master.WaitForRegistrationAsync("""{"name":"page-slave"}""");
        await PageHarness.ConnectAsync(page, master.BaseUri.ToString());
        await PageHarness.WaitForEventAsync(page, $"e.event === 'slaveadded' && e.id === {slaveId}");

        var outcome = await page.EvaluateAsync<JsonElement>(OpenTwoChannels, (double)slaveId)
            .WaitAsync(TimeSpan.FromMilliseconds(BrowserFixture.WaitTimeoutMs * 2));

        Assert.Equal("echo:one", outcome.GetProperty("firstEcho").GetString());
        Assert.Equal("echo:two", outcome.GetProperty("secondEcho").GetString());
        Assert.True(outcome.GetProperty("samePeerConnection").GetBoolean());
        Assert.Equal(0, outcome.GetProperty("negotiationNeeded").GetInt32());
        Assert.Equal("stable", outcome.GetProperty("signalingState").GetString());
        Assert.Equal(["fast", "reliable"], outcome.GetProperty("openLabels").EnumerateArray().Select(e => e.GetString()));

        var log = await page.EvaluateAsync<JsonElement>("() => pageSlave.log");
        Assert.Equal(1, log.GetProperty("offers").GetInt32());
        Assert.True(log.GetProperty("clientCandidates").GetInt32() > 0);
        Assert.Empty(log.GetProperty("candidateErrors").EnumerateArray());
        Assert.False(log.TryGetProperty("decodeError", out _));
        var channels = log.GetProperty("channels").EnumerateArray().ToList();
        Assert.Equal(["reliable", "fast"], channels.Select(c => c.GetProperty("label").GetString()));
        Assert.True(channels[0].GetProperty("ordered").GetBoolean());
        Assert.False(channels[1].GetProperty("ordered").GetBoolean());
        Assert.Equal(0, channels[1].GetProperty("maxRetransmits").GetInt32());
        Assert.Equal("game", channels[1].GetProperty("protocol").GetString());

        // Both sides trickled to the end: the slave got the client's end-of-candidates, and the client applied the
        // slave's (a refused candidate would show up as an error event on the master connection).
        await page.WaitForFunctionAsync("() => pageSlave.log.clientEndOfCandidates === 1");
        await page.WaitForFunctionAsync("() => (e2e.pc.addedCandidates ?? []).some((c) => c.end && c.ok === true)");
        var refused = await page.EvaluateAsync<int>("() => e2e.pc.addedCandidates.filter((c) => c.ok === false).length");
        Assert.Equal(0, refused);
        Assert.True(await page.EvaluateAsync<int>("() => e2e.pc.addedCandidates.filter((c) => !c.end && c.ok).length") > 0);
        var events = await PageHarness.EventsAsync(page);
        Assert.DoesNotContain(events, e => e.GetProperty("event").GetString() == "error");

        // close(): the peer connection closes, the slave sees its channels close, the library forgets them.
        var closed = await page.EvaluateAsync<JsonElement>(
            "() => { e2e.slave.close(); return { state: e2e.pc.signalingState, channels: Object.keys(e2e.slave.dataChannels).length, disconnected: e2e.disconnected, pc: e2e.slave.peerConnection === undefined }; }");
        Assert.Equal("closed", closed.GetProperty("state").GetString());
        Assert.Equal(0, closed.GetProperty("channels").GetInt32());
        Assert.Equal(["Closed"], closed.GetProperty("disconnected").EnumerateArray().Select(e => e.GetString()));
        Assert.True(closed.GetProperty("pc").GetBoolean());
        await page.WaitForFunctionAsync("() => pageSlave.log.closed === 2");
    }
}
