using Enslavism.Interop.Tests.Answerer;
using Enslavism.Interop.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Enslavism.Interop.Tests.Peers;

/// <summary>aiortc (Python) and pion (Go) as offerers, running the same scenario as the npm peers.</summary>
public sealed class NativePeerTests(ITestOutputHelper output)
{
    private static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(AnswererKind.Endpoint)]
    [InlineData(AnswererKind.Layers)]
    public async Task Aiortc_FullScenario_Succeeds(AnswererKind answerer)
    {
        await using var run = await InteropRun.StartAsync(answerer);
        using var peer = PeerProcess.Start("/usr/bin/python3", ["aiortc/offer.py", run.BaseUrl], PeerEnvironment.PeersDirectory);
        var done = await run.WaitDoneAsync(PeerTimeout);
        var exit = await peer.WaitAsync(TimeSpan.FromSeconds(5));
        await NodePeerTests.AssertFullScenarioAsync(run, done, exit, "aiortc ok", peer.Output, output);
    }

    [Theory]
    [InlineData(AnswererKind.Endpoint)]
    [InlineData(AnswererKind.Layers)]
    public async Task Pion_FullScenario_Succeeds(AnswererKind answerer)
    {
        var binary = await PeerEnvironment.EnsurePionAsync();
        await using var run = await InteropRun.StartAsync(answerer);
        using var peer = PeerProcess.Start(binary, [run.BaseUrl], PeerEnvironment.PeersDirectory);
        var done = await run.WaitDoneAsync(PeerTimeout);
        var exit = await peer.WaitAsync(TimeSpan.FromSeconds(5));
        await NodePeerTests.AssertFullScenarioAsync(run, done, exit, "pion ok", peer.Output, output);
    }
}
