using Enslavism.SlaveHost.Tests.Infrastructure;
using Enslavism.Signaling;

namespace Enslavism.SlaveHost.Tests;

/// <summary>Admission, answers, rejections and the one-session-per-client rule.</summary>
public sealed class OfferTests
{
    [Fact]
    public async Task Offer_WithoutAdmissionHandler_IsAnsweredByThePeerConnection()
    {
        await using var h = await SlaveHarness.StartAsync();

        var peer = await h.OfferAsync(7, "v=0 client offer");

        Assert.Equal(7u, peer.ClientId);
        Assert.Equal("v=0 client offer", await peer.Offer.Within("the offer"));
        var answer = await h.Socket.ReceiveAsync<AnswerToClient>();
        Assert.Equal(new AnswerToClient(7, "answer:v=0 client offer"), answer);
        var accepted = await h.NextAcceptedAsync();
        Assert.Same(peer, accepted.PeerConnection);
        Assert.Equal(1, h.Slave.ClientCount);
        Assert.Equal(1, h.Metrics.Sum("enslavism.slave.offers", "outcome", "accepted"));
    }

    [Fact]
    public async Task Offer_AdmissionRejects_SendsRejectToClientAndCreatesNoPeer()
    {
        IncomingOffer? seen = null;
        await using var h = await SlaveHarness.StartAsync(beforeConnect: s => s.OfferAdmission = (offer, _) =>
        {
            seen = offer;
            return ValueTask.FromResult(OfferDecision.Reject);
        });

        await h.Socket.SendAsync(new OfferFromClient(3, "offer-3"));

        Assert.Equal(new RejectToClient(3), await h.Socket.ReceiveAsync<RejectToClient>());
        Assert.Equal(new IncomingOffer(3, "offer-3"), seen);
        Assert.Equal(0, h.Peers.CreatedCount);
        Assert.Equal(0, h.Slave.ClientCount);
    }

    [Fact]
    public async Task Offer_AsyncAdmission_CanAcceptLater()
    {
        var gate = new TaskCompletionSource<OfferDecision>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var h = await SlaveHarness.StartAsync(beforeConnect: s => s.OfferAdmission = async (_, ct) => await gate.Task.WaitAsync(ct));

        await h.Socket.SendAsync(new OfferFromClient(4, "offer-4"));
        Assert.Equal(0, h.Peers.CreatedCount);
        gate.SetResult(OfferDecision.Accept);

        Assert.Equal(new AnswerToClient(4, "answer:offer-4"), await h.Socket.ReceiveAsync<AnswerToClient>());
    }

    [Fact]
    public async Task Offer_AdmissionThrows_IsRejected()
    {
        await using var h = await SlaveHarness.StartAsync(beforeConnect: s => s.OfferAdmission = (_, _) => throw new InvalidOperationException("lobby down"));

        await h.Socket.SendAsync(new OfferFromClient(5, "offer-5"));

        Assert.Equal(new RejectToClient(5), await h.Socket.ReceiveAsync<RejectToClient>());
    }

    [Fact]
    public async Task Offer_PeerCannotAnswer_RejectsTheClientAndReleasesThePeer()
    {
        await using var h = await SlaveHarness.StartAsync(manualAnswers: true);

        var peer = await h.OfferAsync(9);
        peer.FailAnswer(new FormatException("not a data-channel offer"));

        Assert.Equal(new RejectToClient(9), await h.Socket.ReceiveAsync<RejectToClient>());
        var released = await h.NextReleasedAsync();
        Assert.Equal(ClientReleaseReason.AnswerFailed, released.Reason);
        Assert.True(peer.IsDisposed);
        Assert.Equal(0, h.Slave.ClientCount);
    }

    [Fact]
    public async Task Offer_PeerFactoryThrows_IsRejected()
    {
        await using var h = await SlaveHarness.StartAsync();
        h.Peers.CreationError = new InvalidOperationException("no UDP port left");

        await h.Socket.SendAsync(new OfferFromClient(6, "offer-6"));

        Assert.Equal(new RejectToClient(6), await h.Socket.ReceiveAsync<RejectToClient>());
        Assert.Equal(0, h.Slave.ClientCount);
    }

    [Fact]
    public async Task Offer_AnswerTimeoutPasses_RejectsAndReleases()
    {
        await using var h = await SlaveHarness.StartAsync(o => o.AnswerTimeout = TimeSpan.FromMilliseconds(200), manualAnswers: true);

        var peer = await h.OfferAsync(10);

        Assert.Equal(new RejectToClient(10), await h.Socket.ReceiveAsync<RejectToClient>());
        await peer.Disposed.Within("the timed-out peer to be disposed");
        Assert.Equal(ClientReleaseReason.AnswerFailed, (await h.NextReleasedAsync()).Reason);
    }

    [Fact]
    public async Task Offer_OverMaxClients_IsRejectedWithoutAPeer()
    {
        await using var h = await SlaveHarness.StartAsync(o => o.MaxClients = 2);
        await h.OfferAsync(1);
        await h.Socket.ReceiveAsync<AnswerToClient>();
        await h.OfferAsync(2);
        await h.Socket.ReceiveAsync<AnswerToClient>();

        await h.Socket.SendAsync(new OfferFromClient(3, "offer-3"));

        Assert.Equal(new RejectToClient(3), await h.Socket.ReceiveAsync<RejectToClient>());
        Assert.Equal(2, h.Peers.CreatedCount);
        Assert.Equal(1, h.Metrics.Sum("enslavism.slave.offers", "outcome", "rejected_capacity"));
    }

    [Fact]
    public async Task Offer_SameClientAgain_ClosesTheOldPeerAndAnswersWithTheNewOne()
    {
        await using var h = await SlaveHarness.StartAsync();
        var first = await h.OfferAsync(11, "offer-a");
        await h.Socket.ReceiveAsync<AnswerToClient>();

        var second = await h.OfferAsync(11, "offer-b");

        Assert.Equal(new AnswerToClient(11, "answer:offer-b"), await h.Socket.ReceiveAsync<AnswerToClient>());
        await first.Disposed.Within("the replaced peer to be disposed");
        Assert.False(second.IsDisposed);
        Assert.Equal(1, h.Slave.ClientCount);
        var released = await h.NextReleasedAsync();
        Assert.Same(first, released.PeerConnection);
        Assert.Equal(ClientReleaseReason.Replaced, released.Reason);

        // Candidates now reach the new peer only.
        await h.Socket.SendAsync(new IceCandidateFromClient(11, new IceCandidate("0", 0, "candidate:new")));
        Assert.Equal("candidate:new", (await second.NextRemoteCandidateAsync())!.Candidate);
        Assert.False(first.TryReadRemoteCandidate(out _));
    }

    [Fact]
    public async Task Offer_ReplacedWhileStillAnswering_OnlyTheNewOfferIsAnswered()
    {
        await using var h = await SlaveHarness.StartAsync(manualAnswers: true);
        var first = await h.OfferAsync(12, "offer-a");
        var second = await h.OfferAsync(12, "offer-b");
        await first.Disposed.Within("the replaced peer to be disposed");

        first.Answer("stale answer");
        second.Answer("fresh answer");

        Assert.Equal(new AnswerToClient(12, "fresh answer"), await h.Socket.ReceiveAsync<AnswerToClient>());
        await h.Slave.DisposeAsync();
        await h.Socket.Closed.Within("the slave to close");
        Assert.False(h.Socket.TryReceive(out var extra), $"unexpected frame {extra}");
    }

    [Fact]
    public async Task ClientAcceptedHandlerThrows_TheSessionStillGetsItsAnswer()
    {
        await using var h = await SlaveHarness.StartAsync(beforeConnect: s => s.ClientAccepted += (_, _) => throw new InvalidOperationException("app bug"));

        await h.OfferAsync(13);

        Assert.Equal(13u, (await h.Socket.ReceiveAsync<AnswerToClient>()).ClientId);
    }

    [Fact]
    public async Task ThrowingClientAcceptedAndReleasedHandlers_DoNotSkipTheOtherSubscribers_AndAreLoggedAndCounted()
    {
        var laterAccepted = new TaskCompletionSource<uint>(TaskCreationOptions.RunContinuationsAsynchronously);
        var laterReleased = new TaskCompletionSource<uint>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var h = await SlaveHarness.StartAsync(beforeConnect: s =>
        {
            // Subscribed after the harness's own handlers, before the ones that must still run.
            s.ClientAccepted += (_, _) => throw new InvalidOperationException("app bug");
            s.ClientAccepted += (_, e) => laterAccepted.TrySetResult(e.ClientId);
            s.ClientReleased += (_, _) => throw new InvalidOperationException("app bug");
            s.ClientReleased += (_, e) => laterReleased.TrySetResult(e.ClientId);
        });

        var peer = await h.OfferAsync(16);
        await h.Socket.ReceiveAsync<AnswerToClient>();
        Assert.Equal(16u, await laterAccepted.Task.Within("the second ClientAccepted handler"));
        peer.RaiseClosed();
        Assert.Equal(16u, await laterReleased.Task.Within("the second ClientReleased handler"));

        Assert.Equal(1, h.Metrics.Sum("enslavism.slave.handler_failures", "event", "ClientAccepted"));
        Assert.Equal(1, h.Metrics.Sum("enslavism.slave.handler_failures", "event", "ClientReleased"));
    }

    [Fact]
    public async Task PeerClosesItself_SessionIsReleasedAndLateCandidatesAreDropped()
    {
        await using var h = await SlaveHarness.StartAsync();
        var peer = await h.OfferAsync(14);
        await h.Socket.ReceiveAsync<AnswerToClient>();

        peer.RaiseClosed();

        var released = await h.NextReleasedAsync();
        Assert.Equal(ClientReleaseReason.PeerClosed, released.Reason);
        Assert.True(peer.IsDisposed);
        Assert.Equal(1, peer.DisposeCount);
        Assert.Equal(0, h.Slave.ClientCount);

        await h.Socket.SendAsync(new IceCandidateFromClient(14, null));
        // A fresh offer proves the candidate was processed (frames are handled in order) without reaching the closed peer.
        await h.OfferAsync(15);
        await h.Socket.ReceiveAsync<AnswerToClient>();
        Assert.Equal(1, h.Metrics.Sum("enslavism.slave.candidates_dropped", "reason", "unknown_client"));
    }
}
