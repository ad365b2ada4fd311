using System.Text.Json;
using Xunit.Abstractions;

namespace Enslavism.Browser.Tests;

/// <summary>
/// An <see cref="IEchoSlave"/> made of a browser RTCPeerConnection per client, in a page of its own (so the client page
/// holds nothing but the library under test). It speaks protocol version 1 over its own WebSocket to /enslavism/slaves,
/// with our library's encode/decode, which the codec parity tests tie to the golden vectors.
/// </summary>
internal sealed class PageEchoSlave : IEchoSlave
{
    private const string Start = """
        async ([slavesUrl, userDataJson, sendEndOfCandidates]) => {
          const log = { offers: 0, clientCandidates: 0, clientEndOfCandidates: 0, candidateErrors: [], channels: {} };
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
              pc.onicecandidate = ({ candidate: c }) => {
                if (c === null && !sendEndOfCandidates) return;
                send({ type: 'IceCandidateToClient', id: m.id,
                  candidate: c === null ? null : { sdpMid: c.sdpMid ?? '0', sdpMLineIndex: c.sdpMLineIndex ?? 0, candidate: c.candidate } });
              };
              pc.ondatachannel = ({ channel }) => {
                const record = { label: channel.label, ordered: channel.ordered, maxRetransmits: channel.maxRetransmits,
                  protocol: channel.protocol, received: [], closed: false };
                log.channels[channel.label] = record;
                channel.onmessage = (msg) => { record.received.push(msg.data); channel.send('echo:' + msg.data); };
                channel.onclose = () => { record.closed = true; };
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
          send({ type: 'Register', userData: Enslavism.JsonUserData.parse(userDataJson) });
          window.echoSlave = { log, peers, ws, send };
        }
        """;

    private readonly BrowserPage _tab;

    private PageEchoSlave(BrowserPage tab, uint id)
    {
        _tab = tab;
        Id = id;
    }

    public uint Id { get; }

    public static async Task<IEchoSlave> StartAsync(BrowserFixture browser, MasterServer master, EchoSlaveOptions options, ITestOutputHelper output)
    {
        var tab = await browser.NewPageAsync(output);
        try
        {
            await tab.Page.GotoAsync(master.PageUri.ToString());
            await tab.Page.EvaluateAsync(Start, new object[] { master.SlavesUri.ToString(), options.UserDataJson, options.SendEndOfCandidates });
            var id = await master.WaitForRegistrationAsync(options.UserDataJson);
            return new PageEchoSlave(tab, id);
        }
        catch
        {
            await tab.DisposeAsync();
            throw;
        }
    }

    public async Task<EchoSlaveChannel> WaitForChannelAsync(string label)
    {
        await _tab.Page.WaitForFunctionAsync("(label) => echoSlave.log.channels[label] !== undefined", label);
        var channel = await _tab.Page.EvaluateAsync<JsonElement>("(label) => echoSlave.log.channels[label]", label);
        var maxRetransmits = channel.GetProperty("maxRetransmits");
        return new EchoSlaveChannel(
            channel.GetProperty("label").GetString()!,
            channel.GetProperty("ordered").GetBoolean(),
            maxRetransmits.ValueKind == JsonValueKind.Number ? maxRetransmits.GetInt32() : null,
            channel.GetProperty("protocol").GetString()!);
    }

    public Task WaitForMessageAsync(string label, string text) =>
        _tab.Page.WaitForFunctionAsync("([label, text]) => echoSlave.log.channels[label]?.received.includes(text)", new[] { label, text });

    public Task WaitForChannelClosedAsync(string label) =>
        _tab.Page.WaitForFunctionAsync("(label) => echoSlave.log.channels[label]?.closed === true", label);

    public Task RegisterAgainAsync(string userDataJson) =>
        _tab.Page.EvaluateAsync("(json) => echoSlave.send({ type: 'Register', userData: Enslavism.JsonUserData.parse(json) })", userDataJson);

    public async Task<EchoSlaveSignaling> SignalingAsync()
    {
        var log = await _tab.Page.EvaluateAsync<JsonElement>("() => echoSlave.log");
        if (log.TryGetProperty("decodeError", out var decodeError))
        {
            throw new InvalidDataException($"The master sent the slave a frame it could not decode: {decodeError}");
        }

        return new EchoSlaveSignaling(
            log.GetProperty("offers").GetInt32(),
            log.GetProperty("clientCandidates").GetInt32(),
            log.GetProperty("clientEndOfCandidates").GetInt32(),
            [.. log.GetProperty("candidateErrors").EnumerateArray().Select(e => e.GetString()!)]);
    }

    public ValueTask DisposeAsync() => _tab.DisposeAsync();
}
