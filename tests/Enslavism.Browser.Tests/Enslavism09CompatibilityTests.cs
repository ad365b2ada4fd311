using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Enslavism.Signaling;
using Xunit.Abstractions;

namespace Enslavism.Browser.Tests;

/// <summary>
/// The published Enslavism 0.9.0 browser bundle, unchanged, against our master: wire compatibility of protocol
/// version 1 is a product feature. The page loads nothing but that bundle and uses its API as a 0.9 game page did.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class Enslavism09CompatibilityTests(BrowserFixture browser, ITestOutputHelper output)
{
    private static readonly TimeSpan PageBound = TimeSpan.FromMilliseconds(BrowserFixture.WaitTimeoutMs * 2);

    // Opens a channel as a 0.9 page did, sends one message on it and resolves with the first message that comes back.
    private const string OpenChannelAndEcho = """
        async ([slaveId, label, config, text]) => {
          const slave = compat.master.slaves[slaveId];
          const channel = await slave.createDataChannel(label, config);
          const echo = await new Promise((resolve) => { channel.onmessage = (m) => resolve(m.data); channel.send(text); });
          window.compatChannel = { slave, channel };
          return { label: channel.label, ordered: channel.ordered, maxRetransmits: channel.maxRetransmits,
            echo, kept: slave.dataChannels[label] === channel };
        }
        """;

    [Fact]
    public async Task SlaveList_SnapshotLiveAddsReRegisterAndLeave_AsTheSparseSlavesArray()
    {
        const string alphaJson = """{"name":"alpha","players":3,"tags":["eu","ctf"]}""";
        const string betaJson = """{"name":"βeta 🚀","motd":"line\nbreak","max":null}""";
        const string betaAgainJson = """{"name":"βeta 🚀","players":1}""";
        await using var master = await MasterServer.StartAsync();
        await using var alpha = await RawSlave.ConnectAsync(master.SlavesUri, alphaJson);
        var alphaId = await master.WaitForRegistrationAsync(alphaJson);

        // Alpha is in the snapshot the client gets on connect; beta arrives live.
        await using var page = await Enslavism09Page.OpenAsync(browser, master, output);
        await page.WaitForEventAsync($"e.event === 'slaveadded' && e.id === {alphaId}");
        await using var beta = await RawSlave.ConnectAsync(master.SlavesUri, betaJson);
        var betaId = await master.WaitForRegistrationAsync(betaJson);
        await page.WaitForEventAsync($"e.event === 'slaveadded' && e.id === {betaId}");

        var listed = await page.Page.EvaluateAsync<JsonElement>("""
            () => Object.keys(compat.master.slaves).map((key) => {
              const s = compat.master.slaves[key];
              return { key: Number(key), id: s.id, json: JSON.stringify(s.userData), canConnect: typeof s.createDataChannel === 'function' };
            })
            """);
        Assert.Equal([alphaId, betaId], listed.EnumerateArray().Select(s => s.GetProperty("key").GetUInt32()).Order());
        foreach (var slave in listed.EnumerateArray())
        {
            Assert.Equal(slave.GetProperty("key").GetUInt32(), slave.GetProperty("id").GetUInt32());
            Assert.True(slave.GetProperty("canConnect").GetBoolean());
        }

        // The page parsed exactly the JSON each slave registered (JSON.stringify of a parse round-trips compact JSON).
        Assert.Equal(alphaJson, listed.EnumerateArray().Single(s => s.GetProperty("id").GetUInt32() == alphaId).GetProperty("json").GetString());
        Assert.Equal(betaJson, listed.EnumerateArray().Single(s => s.GetProperty("id").GetUInt32() == betaId).GetProperty("json").GetString());
        Assert.True(await page.Page.EvaluateAsync<bool>(
            "(ids) => Array.isArray(compat.master.slaves) && compat.master.slaves.length === Math.max(...ids) + 1",
            new[] { (double)alphaId, (double)betaId }));

        // 0.9 had no update message: a second Register reaches a 0.9 client as a removal then an addition of the same id.
        await beta.SendAsync(new Register(JsonUserData.Parse(betaAgainJson)));
        await page.WaitForEventAsync($"e.event === 'slaveadded' && e.id === {betaId} && e.userData.players === 1");
        Assert.Equal(betaAgainJson, await page.Page.EvaluateAsync<string>("(id) => JSON.stringify(compat.master.slaves[id].userData)", (double)betaId));

        await alpha.CloseAsync();
        await page.WaitForEventAsync($"e.event === 'slaveremoved' && e.id === {alphaId}");
        Assert.True(await page.Page.EvaluateAsync<bool>(
            "([a, b]) => compat.master.slaves[a] === undefined && compat.master.slaves[b].id === b && Object.keys(compat.master.slaves).length === 1",
            new[] { (double)alphaId, (double)betaId }));

        var events = (await page.EventsAsync()).Select(e => (e.GetProperty("event").GetString(), e.GetProperty("id").GetUInt32())).ToList();
        Assert.Equal(
            [("slaveadded", alphaId), ("slaveadded", betaId), ("slaveremoved", betaId), ("slaveadded", betaId), ("slaveremoved", alphaId)],
            events);
        Assert.Empty(await page.ErrorsAsync());
    }

    [Fact]
    public async Task SlaveLeavingBeforeItRegistered_IsNeverAnnounced()
    {
        // 0.9's client dereferences every id of a RemoveSlaves (slaves[id].close()), so a removal of a slave it never
        // listed would throw in its handler. 0.9's own master sent one for a slave that left unregistered; ours must not.
        await using var master = await MasterServer.StartAsync();
        await using var page = await Enslavism09Page.OpenAsync(browser, master, output);
        using (var unregistered = new ClientWebSocket())
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(BrowserFixture.WaitTimeoutMs));
            await unregistered.ConnectAsync(master.SlavesUri, timeout.Token);
            await unregistered.CloseAsync(WebSocketCloseStatus.NormalClosure, "leaves unregistered", timeout.Token);
        }

        // A registered slave joining and leaving afterwards: its events come after anything the first one caused.
        await using var later = await RawSlave.ConnectAsync(master.SlavesUri, """{"name":"later"}""");
        var laterId = await master.WaitForRegistrationAsync("""{"name":"later"}""");
        await page.WaitForEventAsync($"e.event === 'slaveadded' && e.id === {laterId}");
        await later.CloseAsync();
        await page.WaitForEventAsync($"e.event === 'slaveremoved' && e.id === {laterId}");

        Assert.Equal(
            [("slaveadded", laterId), ("slaveremoved", laterId)],
            (await page.EventsAsync()).Select(e => (e.GetProperty("event").GetString(), e.GetProperty("id").GetUInt32())));
        // Frame types: the (empty) snapshot AddSlaves, the later slave's AddSlaves, its RemoveSlaves; nothing else.
        var frames = await page.Page.EvaluateAsync<int[]>("() => compat.frames");
        Assert.Equal([1, 1, 2], frames);
        Assert.Empty(await page.ErrorsAsync());
    }

    [Fact]
    public async Task SnapshotSplitIntoSeveralAddSlavesFrames_ListsEverySlave()
    {
        // Small frames so a dozen slaves need several AddSlaves frames: 0.9 treats each one as additions only.
        const int slaveCount = 12;
        await using var master = await MasterServer.StartAsync(options =>
        {
            options.MaxUserDataBytes = 64;
            options.MaxSnapshotFrameBytes = 200;
        });
        var slaves = new List<RawSlave>();
        try
        {
            var expected = new Dictionary<uint, string>();
            for (var i = 0; i < slaveCount; i++)
            {
                var json = $$"""{"name":"slave-{{i:D2}}","pad":"{{new string('x', 20)}}"}""";
                slaves.Add(await RawSlave.ConnectAsync(master.SlavesUri, json));
                expected[await master.WaitForRegistrationAsync(json)] = json;
            }

            await using var page = await Enslavism09Page.OpenAsync(browser, master, output);
            await page.Page.WaitForFunctionAsync($"() => Object.keys(compat.master.slaves).length === {slaveCount}");

            var listed = await page.Page.EvaluateAsync<Dictionary<string, string>>(
                "() => Object.fromEntries(Object.keys(compat.master.slaves).map((id) => [id, JSON.stringify(compat.master.slaves[id].userData)]))");
            Assert.Equal(expected.OrderBy(e => e.Key), listed.Select(e => KeyValuePair.Create(uint.Parse(e.Key, CultureInfo.InvariantCulture), e.Value)).OrderBy(e => e.Key));
            var addSlavesFrames = await page.Page.EvaluateAsync<int>("() => compat.frames.filter((type) => type === 1).length");
            Assert.True(addSlavesFrames > 1, $"the snapshot came in {addSlavesFrames} AddSlaves frame(s)");
            Assert.Equal(slaveCount, (await page.EventsAsync()).Count(e => e.GetProperty("event").GetString() == "slaveadded"));
            Assert.Empty(await page.ErrorsAsync());
        }
        finally
        {
            foreach (var slave in slaves)
            {
                await slave.DisposeAsync();
            }
        }
    }

    [Theory]
    [InlineData(EchoSlaveKind.Net)]
    [InlineData(EchoSlaveKind.Page)]
    public async Task DataChannel_UnorderedUnreliable_OpensThroughTheMasterAndEchoes(EchoSlaveKind kind)
    {
        await using var master = await MasterServer.StartAsync();
        await using var slave = await EchoSlaves.StartAsync(kind, browser, master, new EchoSlaveOptions("""{"name":"echo"}""", SendEndOfCandidates: false), output);
        await using var page = await Enslavism09Page.OpenAsync(browser, master, output);
        await page.WaitForEventAsync($"e.event === 'slaveadded' && e.id === {slave.Id} && e.userData.name === 'echo'");

        var outcome = await page.Page.EvaluateAsync<JsonElement>(
            OpenChannelAndEcho, new object[] { (double)slave.Id, "test", new { ordered = false, maxRetransmits = 0 }, "hello from 0.9" }).WaitAsync(PageBound);

        Assert.Equal("echo:hello from 0.9", outcome.GetProperty("echo").GetString());
        Assert.Equal("test", outcome.GetProperty("label").GetString());
        Assert.False(outcome.GetProperty("ordered").GetBoolean());
        Assert.Equal(0, outcome.GetProperty("maxRetransmits").GetInt32());
        Assert.True(outcome.GetProperty("kept").GetBoolean());
        Assert.Equal(new EchoSlaveChannel("test", Ordered: false, MaxRetransmits: 0, Protocol: ""), await slave.WaitForChannelAsync("test"));
        await slave.WaitForMessageAsync("test", "hello from 0.9");

        // The 0.9 client trickles its candidates but never sends end-of-candidates; the in-page slave applied every one
        // (the ICE-lite .NET slave ignores them and cannot count them).
        var signaling = await slave.SignalingAsync();
        Assert.Equal(1, signaling.Offers);
        if (kind == EchoSlaveKind.Page)
        {
            Assert.True(signaling.ClientCandidates > 0);
            Assert.Equal(0, signaling.ClientEndOfCandidates);
        }

        Assert.Empty(signaling.CandidateErrors);

        // 0.9's close(): the peer connection goes, the slave sees the channel close.
        Assert.True(await page.Page.EvaluateAsync<bool>(
            "() => { compatChannel.slave.close(); return compatChannel.slave.slaveCon === undefined && Object.keys(compatChannel.slave.dataChannels).length === 0; }"));
        await slave.WaitForChannelClosedAsync("test");

        Assert.DoesNotContain(await page.EventsAsync(), e => e.GetProperty("event").GetString() == "socketclose");
        Assert.Empty(await page.ErrorsAsync());
    }

    [Theory]
    [InlineData(EchoSlaveKind.Net)]
    [InlineData(EchoSlaveKind.Page)]
    public async Task SlaveRegistersAgain_ClosesTheOldClientsPeerConnection_AndANewChannelWorks(EchoSlaveKind kind)
    {
        // Version 1 has no update message, so our master tells a v1 client "removed, then added" for a second Register.
        // 0.9's own master sent only a second AddSlaves, and its client kept the old peer connection open; with ours, the
        // 0.9 client closes it on the removal. Pinned here: the channel closes, and a new one to the same id works.
        await using var master = await MasterServer.StartAsync();
        await using var slave = await EchoSlaves.StartAsync(kind, browser, master, new EchoSlaveOptions("""{"name":"echo","players":0}""", SendEndOfCandidates: false), output);
        await using var page = await Enslavism09Page.OpenAsync(browser, master, output);
        await page.WaitForEventAsync($"e.event === 'slaveadded' && e.id === {slave.Id}");
        var first = await page.Page.EvaluateAsync<JsonElement>(
            OpenChannelAndEcho, new object[] { (double)slave.Id, "first", new { ordered = true }, "one" }).WaitAsync(PageBound);
        Assert.Equal("echo:one", first.GetProperty("echo").GetString());

        await slave.RegisterAgainAsync("""{"name":"echo","players":1}""");
        await page.WaitForEventAsync($"e.event === 'slaveadded' && e.id === {slave.Id} && e.userData.players === 1");
        await slave.WaitForChannelClosedAsync("first");
        Assert.Equal("closed", await page.Page.EvaluateAsync<string>("() => compatChannel.channel.readyState"));

        var second = await page.Page.EvaluateAsync<JsonElement>(
            OpenChannelAndEcho, new object[] { (double)slave.Id, "second", new { ordered = true }, "two" }).WaitAsync(PageBound);
        Assert.Equal("echo:two", second.GetProperty("echo").GetString());
        Assert.Equal(2, (await slave.SignalingAsync()).Offers);
        Assert.Empty(await page.ErrorsAsync());
    }

    [Fact]
    public async Task DataChannel_SlaveThatSendsEndOfCandidates_StillOpens_ButTheOldClientThrowsOnTheNullCandidate()
    {
        // Only the in-page slave can send the null marker: the .NET slave never trickles (see the Net case above, which
        // asserts no page error), so this pins why it must not.
        await using var master = await MasterServer.StartAsync();
        await using var slave = await EchoSlaves.StartAsync(EchoSlaveKind.Page, browser, master, new EchoSlaveOptions("""{"name":"modern"}""", SendEndOfCandidates: true), output);
        await using var page = await Enslavism09Page.OpenAsync(browser, master, output);
        await page.WaitForEventAsync($"e.event === 'slaveadded' && e.id === {slave.Id}");

        var outcome = await page.Page.EvaluateAsync<JsonElement>(
            OpenChannelAndEcho, new object[] { (double)slave.Id, "test", new { ordered = false, maxRetransmits = 0 }, "ping" }).WaitAsync(PageBound);
        Assert.Equal("echo:ping", outcome.GetProperty("echo").GetString());

        // The master relays the slave's end-of-candidates as version 1 allows; 0.9 builds an RTCIceCandidate from it
        // without sdpMid or sdpMLineIndex, which throws inside its message handler. The throw is per message: the
        // connection and the channel carry on.
        await page.Page.WaitForFunctionAsync("() => compat.errors.length > 0");
        var errors = await page.ErrorsAsync();
        output.WriteLine("0.9 page errors: " + string.Join(" | ", errors));
        Assert.All(errors, error => Assert.Contains("Failed to construct 'RTCIceCandidate'", error, StringComparison.Ordinal));
        Assert.DoesNotContain(await page.EventsAsync(), e => e.GetProperty("event").GetString() == "socketclose");
    }

    [Fact]
    public async Task PageFromAnotherOrigin_RefusedByDefault_AdmittedWhenAllowed()
    {
        // 0.9's master checked no Origin, so a 0.9 game page could live on another origin than its master. Ours admits
        // only its own origin unless told otherwise: such a deployment has to list its page's origin.
        await using var pageHost = await MasterServer.StartAsync();
        var pageOrigin = pageHost.BaseUri.GetLeftPart(UriPartial.Authority);
        await using var strict = await MasterServer.StartAsync();
        await using var allowing = await MasterServer.StartAsync(options => options.AllowedOrigins.Add(pageOrigin));
        await using var strictSlave = await RawSlave.ConnectAsync(strict.SlavesUri, """{"name":"strict"}""");
        await using var allowingSlave = await RawSlave.ConnectAsync(allowing.SlavesUri, """{"name":"allowing"}""");
        var allowedSlaveId = await allowing.WaitForRegistrationAsync("""{"name":"allowing"}""");
        await strict.WaitForRegistrationAsync("""{"name":"strict"}""");

        await using (var refused = await Enslavism09Page.OpenAsync(browser, pageHost, strict, output, expectOpen: false))
        {
            Assert.Equal(
                [("socketclose", 1006)],
                (await refused.EventsAsync()).Select(e => (e.GetProperty("event").GetString(), e.GetProperty("code").GetInt32())));
            Assert.Equal(0, await refused.Page.EvaluateAsync<int>("() => Object.keys(compat.master.slaves).length"));
        }

        await using var admitted = await Enslavism09Page.OpenAsync(browser, pageHost, allowing, output);
        await admitted.WaitForEventAsync($"e.event === 'slaveadded' && e.id === {allowedSlaveId} && e.userData.name === 'allowing'");
        Assert.Empty(await admitted.ErrorsAsync());
    }

    [Fact]
    public async Task Rejection_FiresTheRejectedEvent_AndClosesThePeerConnection()
    {
        await using var master = await MasterServer.StartAsync();
        await using var slave = await RawSlave.ConnectAsync(master.SlavesUri, """{"name":"full"}""");
        var slaveId = await master.WaitForRegistrationAsync("""{"name":"full"}""");
        await using var page = await Enslavism09Page.OpenAsync(browser, master, output);
        await page.WaitForEventAsync($"e.event === 'slaveadded' && e.id === {slaveId}");

        // 0.9's promise never settles on rejection (its documented defect): only the event is asserted.
        await page.Page.EvaluateAsync("""
            (id) => {
              const slave = compat.master.slaves[id];
              window.rejection = { slave, events: 0 };
              slave.addEventListener('rejected', () => rejection.events++);
              slave.createDataChannel('test', { ordered: false, maxRetransmits: 0 });
            }
            """, (double)slaveId);

        var offer = await slave.ReceiveAsync<OfferFromClient>();
        Assert.StartsWith("v=0", offer.Sdp, StringComparison.Ordinal);
        Assert.Contains("webrtc-datachannel", offer.Sdp, StringComparison.Ordinal);
        await slave.SendAsync(new RejectToClient(offer.ClientId));

        await page.Page.WaitForFunctionAsync("() => rejection.events === 1");
        Assert.True(await page.Page.EvaluateAsync<bool>("() => rejection.slave.slaveCon === undefined"));

        // The rejected slave is still listed and the client still connected.
        Assert.True(await page.Page.EvaluateAsync<bool>("(id) => compat.master.slaves[id] === rejection.slave", (double)slaveId));
        Assert.DoesNotContain(await page.EventsAsync(), e => e.GetProperty("event").GetString() is "socketclose" or "slaveremoved");
        Assert.Empty(await page.ErrorsAsync());
    }
}
