using System.Collections.Concurrent;
using System.Text.Json;
using Enslavism.SlaveHost;
using Enslavism.SlaveHost.EchoHost;
using Enslavism.SlaveHost.WebRtcHosting;
using Enslavism.Signaling;
using Enslavism.WebRtc.DataChannels;
using Enslavism.WebRtc.Host;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Enslavism.Browser.Tests;

/// <summary>
/// Chromium with our browser library, the real master, and a real .NET slave (<see cref="EnslavismSlave"/>: the
/// signaling client plus the managed WebRTC stack on a loopback UDP socket), end to end.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class NetSlaveEndToEndTests(BrowserFixture browser, ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(BrowserFixture.WaitTimeoutMs);

    // Opens an unreliable and a reliable channel; sends text and binary on each; collects what comes back.
    private const string OpenAndExchange = """
        async (slaveId) => {
          const slave = harness.master.getSlave(slaveId);
          const got = { fast: [], reliable: [] };
          const closes = [];
          const open = async (label, options) => {
            const channel = await slave.createDataChannel(label, options);
            channel.binaryType = 'arraybuffer';
            channel.addEventListener('message', (m) => got[label].push(typeof m.data === 'string' ? { text: m.data } : { bytes: Array.from(new Uint8Array(m.data)) }));
            channel.addEventListener('close', () => closes.push(label));
            return channel;
          };
          const fast = await open('fast', { ordered: false, maxRetransmits: 0 });
          const reliable = await open('reliable');
          for (const channel of [fast, reliable]) {
            channel.send(channel.label + ' text');
            channel.send(new Uint8Array([1, 2, 3, channel.label.length]));
          }
          window.e2e = { slave, got, closes, fast, reliable };
          return { fast: { ordered: fast.ordered, maxRetransmits: fast.maxRetransmits }, reliable: { ordered: reliable.ordered, maxRetransmits: reliable.maxRetransmits } };
        }
        """;

    [Fact]
    public async Task Browser_ToNetSlave_ChannelsBothWays_Reject_ClientLeaves_SlaveLeaves()
    {
        await using var master = await MasterServer.StartAsync();
        var slave = new EnslavismSlave(webRtcOptions: new SlaveWebRtcOptions { BindAddress = "127.0.0.1", LoopbackOnly = true });
        await using var slaveGuard = slave;
        var rejectOffers = false;
        var offers = new ConcurrentQueue<IncomingOffer>();
        slave.OfferAdmission = (offer, _) =>
        {
            offers.Enqueue(offer);
            return ValueTask.FromResult(Volatile.Read(ref rejectOffers) ? OfferDecision.Reject : OfferDecision.Accept);
        };
        var clients = new BlockingCollection<ClientConnection>();
        var serverChannels = new ConcurrentDictionary<string, WebRtcDataChannel>();
        var serverReceived = new ConcurrentQueue<(string Label, DataChannelMessage Message)>();
        slave.ClientConnected += (_, e) =>
        {
            EchoHostRunner.AttachEcho(e.Client, NullLogger.Instance);
            e.Client.DataChannel += (_, opened) =>
            {
                serverChannels[opened.Channel.Label] = opened.Channel;
                opened.Channel.Message += (channel, message) => serverReceived.Enqueue((channel.Label, message));
            };
            clients.Add(e.Client);
        };
        await slave.ConnectAsync(new Uri(master.BaseUri, "/"), JsonUserData.Parse("""{"name":"net-slave"}"""));
        var slaveId = await master.WaitForRegistrationAsync("""{"name":"net-slave"}""");

        await using var tab = await browser.NewPageAsync(output);
        var page = tab.Page;
        await page.GotoAsync(master.PageUri.ToString());
        await PageHarness.ConnectAsync(page, master.BaseUri.ToString());
        await PageHarness.WaitForEventAsync(page, $"e.event === 'slaveadded' && e.id === {slaveId} && e.name === 'net-slave'");

        // Both channels open, with the options the page asked for on both sides.
        var opened = await page.EvaluateAsync<JsonElement>(OpenAndExchange, (double)slaveId).WaitAsync(Bound * 2);
        Assert.False(opened.GetProperty("fast").GetProperty("ordered").GetBoolean());
        Assert.Equal(0, opened.GetProperty("fast").GetProperty("maxRetransmits").GetInt32());
        Assert.True(opened.GetProperty("reliable").GetProperty("ordered").GetBoolean());
        var client = Take(clients);
        Assert.Equal(offers.Single().ClientId, client.ClientId);

        // Echoes come back on the same channel, text as text and binary as binary.
        await page.WaitForFunctionAsync("() => e2e.got.fast.length === 2 && e2e.got.reliable.length === 2");
        var got = await page.EvaluateAsync<JsonElement>("() => e2e.got");
        foreach (var label in new[] { "fast", "reliable" })
        {
            var messages = got.GetProperty(label).EnumerateArray().ToList();
            Assert.Equal(label + " text", messages[0].GetProperty("text").GetString());
            Assert.Equal([1, 2, 3, label.Length], messages[1].GetProperty("bytes").EnumerateArray().Select(b => b.GetInt32()));
        }

        // The .NET side saw the same channels and messages, and can send first.
        Assert.Equal(["fast", "reliable"], client.DataChannels.Select(c => c.Label).Order());
        Assert.False(serverChannels["fast"].Ordered);
        Assert.Equal(Reliability.MaxRetransmits(0), serverChannels["fast"].Reliability);
        Assert.Equal(Reliability.Reliable, serverChannels["reliable"].Reliability);
        var received = serverReceived.ToArray();
        Assert.Contains(received, r => r.Label == "fast" && r.Message.IsText && r.Message.Text == "fast text");
        Assert.Contains(received, r => r.Label == "reliable" && !r.Message.IsText && r.Message.Data.SequenceEqual(new byte[] { 1, 2, 3, 8 }));
        serverChannels["reliable"].Send("pushed by the slave");
        serverChannels["fast"].Send(new byte[] { 42, 43 });
        await page.WaitForFunctionAsync("() => e2e.got.reliable.some((m) => m.text === 'pushed by the slave')");
        await page.WaitForFunctionAsync("() => e2e.got.fast.some((m) => m.bytes && m.bytes.join() === '42,43')");

        // The client leaves: the slave's ClientConnection reports it and everything is released.
        await page.EvaluateAsync("() => e2e.slave.close()");
        var left = await client.Completion.WaitAsync(Bound);
        Assert.Equal(ClientCloseReason.ClientLeft, left.Reason);
        Assert.True(SpinWait.SpinUntil(() => slave.ClientCount == 0 && slave.LiveSessions == 0, Bound), $"clients {slave.ClientCount}, sessions {slave.LiveSessions}");
        Assert.Empty(client.DataChannels);

        // The slave rejects the next offer: the promise rejects with SlaveRejected and `rejected` fires.
        Volatile.Write(ref rejectOffers, true);
        await PageHarness.StartAttemptAsync(page, slaveId, "denied", new { });
        var refused = await PageHarness.OutcomeAsync(page, "denied");
        Assert.False(refused.GetProperty("ok").GetBoolean());
        Assert.Equal("SlaveRejected", refused.GetProperty("reason").GetString());
        Assert.Equal(1, refused.GetProperty("rejectedEvents").GetInt32());
        Assert.Equal(0, slave.LiveSessions);

        // Connected again, then the slave leaves: the page sees slaveremoved and its channel close.
        Volatile.Write(ref rejectOffers, false);
        await page.EvaluateAsync(OpenAndExchange, (double)slaveId).WaitAsync(Bound * 2);
        await page.WaitForFunctionAsync("() => e2e.got.fast.length === 2 && e2e.got.reliable.length === 2");
        var second = Take(clients);
        Assert.NotSame(client, second);

        await slave.DisposeAsync();

        Assert.Equal(ClientCloseReason.ClosedBySlave, (await second.Completion.WaitAsync(Bound)).Reason);
        await PageHarness.WaitForEventAsync(page, $"e.event === 'slaveremoved' && e.id === {slaveId}");
        await page.WaitForFunctionAsync("() => e2e.closes.length === 2 && e2e.fast.readyState === 'closed' && e2e.reliable.readyState === 'closed'");
        Assert.Equal(0, slave.ClientCount);
        Assert.Equal(0, slave.LiveSessions);
    }

    private static ClientConnection Take(BlockingCollection<ClientConnection> clients)
    {
        using var timeout = new CancellationTokenSource(Bound);
        return clients.Take(timeout.Token);
    }
}
