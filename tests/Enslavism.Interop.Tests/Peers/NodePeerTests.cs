using Enslavism.Interop.Tests.Answerer;
using Enslavism.Interop.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Enslavism.Interop.Tests.Peers;

/// <summary>
/// The npm peers of tests/interop-peers as offerers against our answerer: the full scenario of
/// common/scenario.mjs (unreliable and reliable echo, string/empty/binary, 1 MiB each way, close both ways).
/// </summary>
public sealed class NodePeerTests(ITestOutputHelper output)
{
    private static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(AnswererKind.Endpoint)]
    [InlineData(AnswererKind.Layers)]
    public Task RoamhqWrtc_FullScenario_Succeeds(AnswererKind answerer) => RunFullScenarioAsync(answerer, "roamhq-wrtc/offer.mjs", "wrtc ok");

    [Theory]
    [InlineData(AnswererKind.Endpoint)]
    [InlineData(AnswererKind.Layers)]
    public Task Werift_FullScenario_Succeeds(AnswererKind answerer) => RunFullScenarioAsync(answerer, "werift/offer.mjs", "werift ok");

    [Theory]
    [InlineData(AnswererKind.Endpoint)]
    [InlineData(AnswererKind.Layers)]
    public Task NodeDataChannel_FullScenario_Succeeds(AnswererKind answerer) => RunFullScenarioAsync(answerer, "node-datachannel/offer.mjs", "ndc ok");

    internal static async Task AssertFullScenarioAsync(InteropRun run, string? done, int? exitCode, string expectedDone, string? output,
        ITestOutputHelper testOutput)
    {
        var diagnostics = run.Diagnostics(output);
        testOutput.WriteLine(diagnostics);
        Assert.True(done is not null && done.StartsWith(expectedDone, StringComparison.Ordinal), $"done = {done ?? "(none)"}, exit {exitCode}\n{diagnostics}");
        Assert.True(exitCode == 0, $"peer exit {exitCode}\n{diagnostics}");
        Assert.Contains(InteropRun.ExpectedBulkSummary(), run.App.BulkResults);
        foreach (var label in new[] { "game", "chat", "bulk", "download" })
        {
            Assert.Contains(label, run.App.OpenedLabels);
        }

        // The peer closed `download` itself just before exiting; our side must see the reset complete.
        var closed = await Task.WhenAny(run.App.WhenClosedAsync("download"), Task.Delay(TimeSpan.FromSeconds(5)));
        Assert.True(run.App.ClosedLabels.Contains("chat") && closed == run.App.WhenClosedAsync("download"),
            $"closed channels: {string.Join(',', run.App.ClosedLabels)}\n{run.Diagnostics()}");
    }

    private async Task RunFullScenarioAsync(AnswererKind answerer, string script, string expectedDone)
    {
        await PeerEnvironment.EnsureNpmAsync();
        await using var run = await InteropRun.StartAsync(answerer);
        using var peer = PeerProcess.Start("node", [script, run.BaseUrl], PeerEnvironment.PeersDirectory);
        var done = await run.WaitDoneAsync(PeerTimeout);
        var exit = await peer.WaitAsync(TimeSpan.FromSeconds(5));
        await AssertFullScenarioAsync(run, done, exit, expectedDone, peer.Output, output);
    }
}
