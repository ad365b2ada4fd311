using System.Net.WebSockets;
using System.Threading.Channels;
using Enslavism.SlaveHost.Tests.Infrastructure;
using Enslavism.Signaling;

namespace Enslavism.SlaveHost.Tests;

/// <summary>Bad frames from the master, the master going away, and disposal.</summary>
public sealed class RobustnessTests
{
    [Fact]
    public async Task MalformedFrames_AreCountedByKindAndTheConnectionKeepsWorking()
    {
        await using var h = await SlaveHarness.StartAsync(o => o.MaxIncomingFrameBytes = 1024);

        await h.Socket.SendRawAsync([]);
        await h.Socket.SendRawAsync([99, 1, 2]);
        await h.Socket.SendRawAsync([(byte)SignalingMessageType.OfferFromClient, 0, 0]);
        await h.Socket.SendRawAsync([(byte)SignalingMessageType.OfferFromClient, 0, 0, 0, 1, 0xC3, 0x28]);
        await h.Socket.SendRawAsync("hello"u8.ToArray(), WebSocketMessageType.Text);
        await h.Socket.SendRawAsync(SignalingCodec.Encode(new OfferFromClient(1, new string('x', 5000))));
        await h.Socket.SendAsync(new RemoveSlaves([1, 2]));
        var peer = await h.OfferAsync(2, "still fine");

        Assert.Equal(new AnswerToClient(2, "answer:still fine"), await h.Socket.ReceiveAsync<AnswerToClient>());
        Assert.Equal(2u, peer.ClientId);
        Assert.Equal(1, h.Peers.CreatedCount);
        Assert.Equal(7, h.Metrics.Sum("enslavism.slave.malformed_frames"));
        Assert.Equal(1, h.Metrics.Sum("enslavism.slave.malformed_frames", "kind", "Empty"));
        Assert.Equal(1, h.Metrics.Sum("enslavism.slave.malformed_frames", "kind", "UnknownType"));
        Assert.Equal(1, h.Metrics.Sum("enslavism.slave.malformed_frames", "kind", "Truncated"));
        Assert.Equal(1, h.Metrics.Sum("enslavism.slave.malformed_frames", "kind", "InvalidUtf8"));
        Assert.Equal(1, h.Metrics.Sum("enslavism.slave.malformed_frames", "kind", "TextFrame"));
        Assert.Equal(1, h.Metrics.Sum("enslavism.slave.malformed_frames", "kind", "TooLarge"));
        Assert.Equal(1, h.Metrics.Sum("enslavism.slave.malformed_frames", "kind", "UnexpectedType"));
        Assert.Equal(8, h.Metrics.Sum("enslavism.slave.frames_received"));
    }

    [Fact]
    public async Task FrameOfExactlyTheLimit_IsAccepted()
    {
        const int limit = 256;
        await using var h = await SlaveHarness.StartAsync(o => o.MaxIncomingFrameBytes = limit);

        var sdp = new string('s', limit - 5);
        var peer = await h.OfferAsync(3, sdp);

        Assert.Equal(sdp, await peer.Offer.Within("the offer"));
        Assert.Equal(0, h.Metrics.Sum("enslavism.slave.malformed_frames"));
    }

    [Fact]
    public async Task MasterClosesTheSocket_DisconnectedCarriesTheCloseAndEveryClientIsReleased()
    {
        await using var h = await SlaveHarness.StartAsync(manualAnswers: true);
        var disconnected = new TaskCompletionSource<SlaveDisconnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Slave.Disconnected += (_, e) => disconnected.TrySetResult(e);
        var answered = await h.OfferAsync(1);
        answered.Answer("a");
        await h.Socket.ReceiveAsync<AnswerToClient>();
        var pending = await h.OfferAsync(2);

        await h.Socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "master restarting");

        var end = await disconnected.Task.Within("Disconnected");
        Assert.Equal(SlaveDisconnectReason.ClosedByMaster, end.Reason);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, end.CloseStatus);
        Assert.Equal("master restarting", end.CloseDescription);
        Assert.Same(end, await h.Slave.Completion.Within("Completion"));
        Assert.True(answered.IsDisposed);
        Assert.True(pending.IsDisposed);
        Assert.Equal(0, h.Slave.ClientCount);
        var reasons = new[] { await h.NextReleasedAsync(), await h.NextReleasedAsync() }.Select(r => r.Reason);
        Assert.All(reasons, r => Assert.Equal(ClientReleaseReason.SlaveDisconnected, r));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, (await h.Socket.Closed.Within("the slave's close reply")).Status);
    }

    [Fact]
    public async Task ConnectionDrops_DisconnectedReportsConnectionLost()
    {
        await using var h = await SlaveHarness.StartAsync();
        var peer = await h.OfferAsync(1);
        await h.Socket.ReceiveAsync<AnswerToClient>();

        h.Socket.Abort();

        var end = await h.Slave.Completion.Within("Completion");
        Assert.Equal(SlaveDisconnectReason.ConnectionLost, end.Reason);
        Assert.NotNull(end.Exception);
        Assert.True(peer.IsDisposed);
    }

    [Fact]
    public async Task DisposeAsync_ClosesNormallyReleasesClientsAndRaisesDisconnectedOnce()
    {
        await using var h = await SlaveHarness.StartAsync();
        var events = Channel.CreateUnbounded<SlaveDisconnectedEventArgs>();
        h.Slave.Disconnected += (_, e) => events.Writer.TryWrite(e);
        var peer = await h.OfferAsync(1);
        await h.Socket.ReceiveAsync<AnswerToClient>();

        await h.Slave.DisposeAsync();
        await h.Slave.DisposeAsync();

        var (status, description) = await h.Socket.Closed.Within("the slave's close frame");
        Assert.Equal(WebSocketCloseStatus.NormalClosure, status);
        Assert.Equal("slave closing", description);
        Assert.True(peer.IsDisposed);
        Assert.Equal(1, peer.DisposeCount);
        Assert.Equal(SlaveDisconnectReason.Disposed, (await h.Slave.Completion).Reason);
        Assert.True(events.Reader.TryRead(out var only));
        Assert.Equal(SlaveDisconnectReason.Disposed, only.Reason);
        Assert.False(events.Reader.TryRead(out _));
    }

    [Fact]
    public async Task DisposeAsync_SendsWhatWasQueuedBeforeClosing()
    {
        await using var h = await SlaveHarness.StartAsync();
        var peer = await h.OfferAsync(1);
        await h.Socket.ReceiveAsync<AnswerToClient>();
        for (var i = 0; i < 50; i++)
        {
            peer.RaiseLocalCandidate(new IceCandidate("0", 0, $"candidate:{i}"));
        }

        await h.Slave.DisposeAsync();

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal($"candidate:{i}", (await h.Socket.ReceiveAsync<IceCandidateToClient>()).Candidate!.Candidate);
        }

        Assert.Equal(WebSocketCloseStatus.NormalClosure, (await h.Socket.Closed.Within("close")).Status);
    }

    [Fact]
    public async Task DisposeAsync_BeforeConnect_CompletesWithDisposed()
    {
        var slave = new SlaveConnection(new FakePeerConnectionFactory());

        await slave.DisposeAsync();

        Assert.Equal(SlaveDisconnectReason.Disposed, (await slave.Completion.Within("Completion")).Reason);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => slave.ConnectAsync(new Uri("ws://127.0.0.1:1"), JsonUserData.EmptyObject));
    }

    [Fact]
    public async Task MasterStopsAnsweringPings_KeepAliveTimeoutReportsConnectionLost()
    {
        using var server = new SilentWebSocketServer();
        var peers = new FakePeerConnectionFactory();
        await using var slave = new SlaveConnection(peers, new SlaveOptions
        {
            KeepAliveInterval = TimeSpan.FromMilliseconds(100),
            KeepAliveTimeout = TimeSpan.FromMilliseconds(300),
        });

        var accept = server.AcceptOneAsync();
        await slave.ConnectAsync(server.BaseUrl, JsonUserData.EmptyObject);
        await accept;

        var end = await slave.Completion.Within("the keep-alive timeout");
        Assert.Equal(SlaveDisconnectReason.ConnectionLost, end.Reason);
    }

    [Fact]
    public async Task OutgoingQueueFull_FramesAreDroppedAndCounted_AndTheConnectionRecovers()
    {
        await using var h = await SlaveHarness.StartAsync(o => o.MaxOutgoingFrames = 4);
        var peer = await h.OfferAsync(1);
        await h.Socket.ReceiveAsync<AnswerToClient>();
        h.Socket.PauseReading();

        // Bounded: loopback and Kestrel buffers hold some megabytes, far below this many 100-byte frames.
        var candidate = new IceCandidate("0", 0, "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0 ufrag abcd");
        for (var i = 0; i < 2_000_000 && h.Metrics.Sum("enslavism.slave.outgoing_dropped") == 0; i++)
        {
            peer.RaiseLocalCandidate(candidate);
        }

        Assert.True(h.Metrics.Sum("enslavism.slave.outgoing_dropped") > 0, "the outgoing queue never filled");
        h.Socket.ResumeReading();

        // Once the backlog drains, a marker candidate fits in the queue again and arrives after everything before it.
        var marker = 0;
        for (var dropped = h.Metrics.Sum("enslavism.slave.outgoing_dropped"); ; dropped = h.Metrics.Sum("enslavism.slave.outgoing_dropped"))
        {
            peer.RaiseLocalCandidate(new IceCandidate("0", 0, $"marker:{++marker}"));
            if (h.Metrics.Sum("enslavism.slave.outgoing_dropped") == dropped)
            {
                break;
            }

            await h.Socket.ReceiveAsync();
        }

        while (await h.Socket.ReceiveAsync() is not IceCandidateToClient { Candidate.Candidate: var text } || text != $"marker:{marker}")
        {
        }

        await h.Socket.SendAsync(new OfferFromClient(2, "after the backlog"));
        Assert.Equal(new AnswerToClient(2, "answer:after the backlog"), await h.Socket.ReceiveAsync<AnswerToClient>());
        Assert.False(h.Slave.Completion.IsCompleted);
    }

    [Fact]
    public async Task DisposeAsync_APeerThatNeverFinishesDisposing_DoesNotHoldTheSlaveForever()
    {
        await using var h = await SlaveHarness.StartAsync(o => o.CloseTimeout = TimeSpan.FromMilliseconds(300));
        var peer = await h.OfferAsync(1);
        await h.Socket.ReceiveAsync<AnswerToClient>();
        peer.DisposeHangs = true;

        await h.Slave.DisposeAsync().AsTask().Within("the slave to finish disposing");

        Assert.True(peer.IsDisposed);
        Assert.Equal(SlaveDisconnectReason.Disposed, (await h.Slave.Completion).Reason);
    }
}
