using Xunit.Abstractions;

namespace Enslavism.Browser.Tests;

/// <summary>The page's MasterConnection against the real master, with raw-WebSocket slaves joining and leaving.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SlaveListTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public async Task SlavesAddedAndRemoved_AreSeenLive()
    {
        const string alphaJson = """{"name":"alpha","players":3}""";
        // Odd spacing and non-ASCII text: the page must get the exact JSON text the slave sent.
        const string betaJson = """ {"name" : "βeta 🚀", "mods": ["ctf"]} """;
        await using var master = await MasterServer.StartAsync();
        await using var alpha = await RawSlave.ConnectAsync(master.SlavesUri, alphaJson);
        var alphaId = await master.WaitForRegistrationAsync(alphaJson);
        await using var tab = await browser.NewPageAsync(output);
        await tab.Page.GotoAsync(master.PageUri.ToString());

        // The page's own origin (http://127.0.0.1:port) as the master URL, as a page served by the master would do.
        await PageHarness.ConnectAsync(tab.Page, master.BaseUri.GetLeftPart(UriPartial.Authority));
        await PageHarness.WaitForEventAsync(tab.Page, $"e.event === 'slaveadded' && e.id === {alphaId}");

        await using var beta = await RawSlave.ConnectAsync(master.SlavesUri, betaJson);
        var betaId = await master.WaitForRegistrationAsync(betaJson);
        await PageHarness.WaitForEventAsync(tab.Page, $"e.event === 'slaveadded' && e.id === {betaId}");

        await alpha.CloseAsync();
        await PageHarness.WaitForEventAsync(tab.Page, $"e.event === 'slaveremoved' && e.id === {alphaId}");

        var events = await PageHarness.EventsAsync(tab.Page);
        var added = events.Where(e => e.GetProperty("event").GetString() == "slaveadded").ToList();
        Assert.Equal([alphaId, betaId], added.Select(e => e.GetProperty("id").GetUInt32()));
        Assert.Equal([alphaJson, betaJson], added.Select(e => e.GetProperty("json").GetString()));
        Assert.Equal("βeta 🚀", added[1].GetProperty("name").GetString());
        var removed = Assert.Single(events, e => e.GetProperty("event").GetString() == "slaveremoved");
        Assert.True(removed.GetProperty("removed").GetBoolean());
        Assert.DoesNotContain(events, e => e.GetProperty("event").GetString() == "error");

        var list = await tab.Page.EvaluateAsync<uint[]>("() => [...harness.master.slaveMap.keys()]");
        Assert.Equal([betaId], list);
        var sparse = await tab.Page.EvaluateAsync<bool[]>(
            "([a, b]) => [harness.master.slaves[a] === undefined, harness.master.slaves[b] === harness.master.getSlave(b)]",
            new[] { alphaId, betaId });
        Assert.Equal([true, true], sparse);
    }
}
