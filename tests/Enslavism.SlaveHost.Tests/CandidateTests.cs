using Enslavism.SlaveHost.Tests.Infrastructure;
using Enslavism.Signaling;

namespace Enslavism.SlaveHost.Tests;

/// <summary>Trickle ICE in both directions, and the holding of candidates until the answer is out.</summary>
public sealed class CandidateTests
{
    private static readonly IceCandidate HostA = new("0", 0, "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host");
    private static readonly IceCandidate HostB = new("0", 0, "candidate:2 1 udp 2122260222 127.0.0.1 50001 typ host");
    private static readonly IceCandidate HostC = new("data", 1, "candidate:3 1 udp 2122260221 127.0.0.1 50002 typ host");

    [Fact]
    public async Task RemoteCandidates_BeforeTheAnswer_AreHeldThenDeliveredInOrder()
    {
        await using var h = await SlaveHarness.StartAsync(manualAnswers: true);
        var peer = await h.OfferAsync(1);
        await h.Socket.SendAsync(new IceCandidateFromClient(1, HostA));
        await h.Socket.SendAsync(new IceCandidateFromClient(1, HostB));
        await h.Socket.SendAsync(new IceCandidateFromClient(1, null));
        // A second client's offer is handled after the candidates above, so they have reached the session by now.
        await h.OfferAsync(2);
        Assert.False(peer.TryReadRemoteCandidate(out _), "candidates reached the peer before it had the offer");

        peer.Answer("answer-1");

        Assert.Equal(new AnswerToClient(1, "answer-1"), await h.Socket.ReceiveAsync<AnswerToClient>());
        Assert.Equal(HostA, await peer.NextRemoteCandidateAsync());
        Assert.Equal(HostB, await peer.NextRemoteCandidateAsync());
        Assert.Null(await peer.NextRemoteCandidateAsync());
    }

    [Fact]
    public async Task RemoteCandidates_AfterTheAnswer_GoStraightToThePeer()
    {
        await using var h = await SlaveHarness.StartAsync();
        var peer = await h.OfferAsync(1);
        await h.Socket.ReceiveAsync<AnswerToClient>();

        await h.Socket.SendAsync(new IceCandidateFromClient(1, HostC));
        await h.Socket.SendAsync(new IceCandidateFromClient(1, null));

        Assert.Equal(HostC, await peer.NextRemoteCandidateAsync());
        Assert.Null(await peer.NextRemoteCandidateAsync());
    }

    [Fact]
    public async Task RemoteCandidates_OverTheBoundBeforeTheAnswer_AreDroppedAndCounted()
    {
        await using var h = await SlaveHarness.StartAsync(o => o.MaxPendingCandidatesPerClient = 2, manualAnswers: true);
        var peer = await h.OfferAsync(1);
        await h.Socket.SendAsync(new IceCandidateFromClient(1, HostA));
        await h.Socket.SendAsync(new IceCandidateFromClient(1, HostB));
        await h.Socket.SendAsync(new IceCandidateFromClient(1, HostC));
        await h.OfferAsync(2);

        peer.Answer("answer-1");

        Assert.Equal(HostA, await peer.NextRemoteCandidateAsync());
        Assert.Equal(HostB, await peer.NextRemoteCandidateAsync());
        Assert.Equal(1, h.Metrics.Sum("enslavism.slave.candidates_dropped", "reason", "remote_queue_full"));
        await h.Socket.SendAsync(new IceCandidateFromClient(1, null));
        Assert.Null(await peer.NextRemoteCandidateAsync());
    }

    [Fact]
    public async Task LocalCandidates_BeforeTheAnswer_AreSentRightAfterIt_LaterOnesAtOnce_IncludingEndOfCandidates()
    {
        await using var h = await SlaveHarness.StartAsync(manualAnswers: true);
        var peer = await h.OfferAsync(5);
        peer.RaiseLocalCandidate(HostA);
        peer.RaiseLocalCandidate(HostB);

        peer.Answer("answer-5");
        peer.RaiseLocalCandidate(HostC);
        peer.RaiseLocalCandidate(null);

        Assert.Equal(new AnswerToClient(5, "answer-5"), await h.Socket.ReceiveAsync<AnswerToClient>());
        Assert.Equal(new IceCandidateToClient(5, HostA), await h.Socket.ReceiveAsync<IceCandidateToClient>());
        Assert.Equal(new IceCandidateToClient(5, HostB), await h.Socket.ReceiveAsync<IceCandidateToClient>());
        Assert.Equal(new IceCandidateToClient(5, HostC), await h.Socket.ReceiveAsync<IceCandidateToClient>());
        Assert.Equal(new IceCandidateToClient(5, null), await h.Socket.ReceiveAsync<IceCandidateToClient>());
    }

    [Fact]
    public async Task LocalCandidates_OfARejectedOffer_AreNeverSent()
    {
        await using var h = await SlaveHarness.StartAsync(manualAnswers: true);
        var peer = await h.OfferAsync(6);
        peer.RaiseLocalCandidate(HostA);

        peer.FailAnswer(new FormatException("bad offer"));

        Assert.Equal(new RejectToClient(6), await h.Socket.ReceiveAsync<RejectToClient>());
        await h.Slave.DisposeAsync();
        await h.Socket.Closed.Within("the slave to close");
        Assert.False(h.Socket.TryReceive(out var extra), $"unexpected frame {extra}");
    }

    [Fact]
    public async Task Candidate_ForAClientWithoutSession_IsDroppedAndTheConnectionLivesOn()
    {
        await using var h = await SlaveHarness.StartAsync();

        await h.Socket.SendAsync(new IceCandidateFromClient(404, HostA));
        var peer = await h.OfferAsync(1);

        Assert.Equal(1u, (await h.Socket.ReceiveAsync<AnswerToClient>()).ClientId);
        Assert.Equal(1, h.Metrics.Sum("enslavism.slave.candidates_dropped", "reason", "unknown_client"));
        Assert.False(peer.TryReadRemoteCandidate(out _));
    }

    [Fact]
    public async Task RemoteCandidate_ThePeerThrows_TheSessionAndConnectionCarryOn()
    {
        await using var h = await SlaveHarness.StartAsync();
        var peer = await h.OfferAsync(1);
        await h.Socket.ReceiveAsync<AnswerToClient>();
        peer.RemoteCandidateError = new NotSupportedException("stack bug");

        await h.Socket.SendAsync(new IceCandidateFromClient(1, HostA));
        await h.OfferAsync(2);
        await h.Socket.ReceiveAsync<AnswerToClient>();
        peer.RemoteCandidateError = null;
        await h.Socket.SendAsync(new IceCandidateFromClient(1, HostB));

        Assert.Equal(HostB, await peer.NextRemoteCandidateAsync());
        Assert.False(peer.IsDisposed);
        Assert.False(h.Slave.Completion.IsCompleted);
    }
}
