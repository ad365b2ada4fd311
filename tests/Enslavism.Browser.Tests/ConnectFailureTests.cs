using System.Text.Json;
using Enslavism.Signaling;
using Xunit.Abstractions;

namespace Enslavism.Browser.Tests;

/// <summary>
/// createDataChannel through the real master to a raw-WebSocket slave that never answers with an SDP: the promise must
/// reject with the right reason (0.9 left it pending forever).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConnectFailureTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public async Task SlaveRejects_PromiseRejectsWithSlaveRejected_AndRejectedFires()
    {
        const string json = """{"name":"picky"}""";
        await using var master = await MasterServer.StartAsync();
        await using var slave = await RawSlave.ConnectAsync(master.SlavesUri, json);
        var slaveId = await master.WaitForRegistrationAsync(json);
        await using var tab = await OpenPageAsync(master, slaveId);

        await PageHarness.StartAttemptAsync(tab.Page, slaveId, "game", new { ordered = false, maxRetransmits = 0 });
        var offer = await slave.ReceiveAsync<OfferFromClient>();
        Assert.Contains("m=application", offer.Sdp, StringComparison.Ordinal);

        // Trickle ICE reaches the slave, ending with the end-of-candidates marker (0.9 never sent it).
        await slave.ReceiveAsync<IceCandidateFromClient>(c => c.ClientId == offer.ClientId && c.Candidate is null);
        var candidates = slave.Received.OfType<IceCandidateFromClient>().ToList();
        Assert.Contains(candidates, c => c.Candidate is { } candidate && candidate.Candidate.StartsWith("candidate:", StringComparison.Ordinal));
        Assert.All(candidates, c => Assert.Equal(offer.ClientId, c.ClientId));

        await slave.SendAsync(new RejectToClient(offer.ClientId));
        var outcome = await PageHarness.OutcomeAsync(tab.Page, "game");

        AssertRejected(outcome, "SlaveRejected", slaveId);
        Assert.Equal(1, outcome.GetProperty("rejectedEvents").GetInt32());
        Assert.Equal(["SlaveRejected"], outcome.GetProperty("disconnected").EnumerateArray().Select(e => e.GetString()));
        Assert.True(await tab.Page.EvaluateAsync<bool>($"() => harness.master.getSlave({slaveId}).peerConnection === undefined"));
    }

    [Fact]
    public async Task SlaveLeavesWhileConnecting_PromiseRejectsWithSlaveLeft()
    {
        const string json = """{"name":"leaver"}""";
        await using var master = await MasterServer.StartAsync();
        await using var slave = await RawSlave.ConnectAsync(master.SlavesUri, json);
        var slaveId = await master.WaitForRegistrationAsync(json);
        await using var tab = await OpenPageAsync(master, slaveId);

        await PageHarness.StartAttemptAsync(tab.Page, slaveId, "game", new { });
        await slave.ReceiveAsync<OfferFromClient>();
        await slave.CloseAsync();
        var outcome = await PageHarness.OutcomeAsync(tab.Page, "game");

        AssertRejected(outcome, "SlaveLeft", slaveId);
        Assert.Equal(0, outcome.GetProperty("rejectedEvents").GetInt32());
        await PageHarness.WaitForEventAsync(tab.Page, $"e.event === 'slaveremoved' && e.id === {slaveId}");
        var later = await tab.Page.EvaluateAsync<string>(
            $"(id) => harness.master.slaves[id] === undefined ? 'gone' : 'still listed'", slaveId);
        Assert.Equal("gone", later);
    }

    [Fact]
    public async Task MasterStopsWhileConnecting_PromiseRejectsWithMasterClosed()
    {
        const string json = """{"name":"orphan"}""";
        var master = await MasterServer.StartAsync();
        await using var slave = await RawSlave.ConnectAsync(master.SlavesUri, json);
        var slaveId = await master.WaitForRegistrationAsync(json);
        await using var tab = await OpenPageAsync(master, slaveId);

        await PageHarness.StartAttemptAsync(tab.Page, slaveId, "game", new { });
        await slave.ReceiveAsync<OfferFromClient>();
        await master.DisposeAsync();
        var outcome = await PageHarness.OutcomeAsync(tab.Page, "game");

        AssertRejected(outcome, "MasterClosed", slaveId);
        await PageHarness.WaitForEventAsync(tab.Page, "e.event === 'close'");
    }

    [Fact]
    public async Task SlaveNeverAnswers_PromiseRejectsWithTimeout_AndARetryOffersAgain()
    {
        const string json = """{"name":"silent"}""";
        await using var master = await MasterServer.StartAsync();
        await using var slave = await RawSlave.ConnectAsync(master.SlavesUri, json);
        var slaveId = await master.WaitForRegistrationAsync(json);
        await using var tab = await OpenPageAsync(master, slaveId, new { connectTimeoutMs = 1000 });

        await PageHarness.StartAttemptAsync(tab.Page, slaveId, "first", new { });
        var firstOffer = await slave.ReceiveAsync<OfferFromClient>();
        var outcome = await PageHarness.OutcomeAsync(tab.Page, "first");
        AssertRejected(outcome, "Timeout", slaveId);
        Assert.Equal(["Timeout"], outcome.GetProperty("disconnected").EnumerateArray().Select(e => e.GetString()));

        // The half-made connection was dropped, so the next attempt starts over with a new offer.
        await PageHarness.StartAttemptAsync(tab.Page, slaveId, "second", new { });
        var secondOffer = await slave.ReceiveAsync<OfferFromClient>();
        Assert.Equal(firstOffer.ClientId, secondOffer.ClientId);
        Assert.NotEqual(firstOffer.Sdp, secondOffer.Sdp);
        await slave.SendAsync(new RejectToClient(secondOffer.ClientId));
        AssertRejected(await PageHarness.OutcomeAsync(tab.Page, "second"), "SlaveRejected", slaveId);
    }

    private async Task<BrowserPage> OpenPageAsync(MasterServer master, uint slaveId, object? options = null)
    {
        var tab = await browser.NewPageAsync(output);
        await tab.Page.GotoAsync(master.PageUri.ToString());
        await PageHarness.ConnectAsync(tab.Page, master.BaseUri.ToString(), options);
        await PageHarness.WaitForEventAsync(tab.Page, $"e.event === 'slaveadded' && e.id === {slaveId}");
        return tab;
    }

    private static void AssertRejected(JsonElement outcome, string reason, uint slaveId)
    {
        Assert.False(outcome.GetProperty("ok").GetBoolean());
        Assert.Equal(reason, outcome.GetProperty("reason").GetString());
        Assert.Equal("EnslavismError", outcome.GetProperty("name").GetString());
        Assert.True(outcome.GetProperty("isEnslavismError").GetBoolean());
        Assert.Equal(slaveId, outcome.GetProperty("slaveId").GetUInt32());
    }
}
