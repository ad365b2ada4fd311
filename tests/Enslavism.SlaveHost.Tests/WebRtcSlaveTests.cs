using System.Net;
using System.Text;
using Enslavism.SlaveHost.EchoHost;
using Enslavism.SlaveHost.Tests.Infrastructure;
using Enslavism.SlaveHost.WebRtcHosting;
using Enslavism.Signaling;
using Enslavism.WebRtc.Host;
using Microsoft.Extensions.Logging.Abstractions;

namespace Enslavism.SlaveHost.Tests;

/// <summary>
/// The slave's WebRTC side with real parts only: the real master on Kestrel, a real <see cref="EnslavismSlave"/> on a
/// loopback UDP socket, and .NET clients that offer through the WebRTC stack's offerer API and signal through the master
/// with raw protocol-1 WebSockets (what a browser does, minus the browser).
/// </summary>
public sealed class WebRtcSlaveTests
{
    private static readonly TimeSpan ManyClientsBound = TimeSpan.FromSeconds(90);

    private static SlaveWebRtcOptions LoopbackOptions() => new() { BindAddress = "127.0.0.1", LoopbackOnly = true };

    private static WebRtcEndpoint NewClientEndpoint() => new(new WebRtcEndpointOptions
    {
        BindEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
        LoopbackOnly = true,
    });

    [Fact]
    public async Task FiftyClients_ThroughTheMaster_EachGetAnIndependentEchoingChannel_AndAreReleasedWhenTheyLeave()
    {
        const int clients = 50;
        await using var master = await RealMaster.StartAsync();
        await using var slave = new EnslavismSlave(webRtcOptions: LoopbackOptions());
        var connections = new List<ClientConnection>();
        slave.ClientConnected += (_, e) =>
        {
            lock (connections)
            {
                connections.Add(e.Client);
            }

            EchoHostRunner.AttachEcho(e.Client, NullLogger.Instance);
        };
        await slave.ConnectAsync(master.BaseUrl, JsonUserData.Parse("""{"name":"many"}"""));

        var endpoints = new List<WebRtcEndpoint>();
        var rawClients = new List<RawClient>();
        try
        {
            var runs = new List<Task<(string Text, byte[] Binary)>>();
            for (var i = 0; i < clients; i++)
            {
                // One endpoint per client, like a browser's one socket per peer connection.
                var endpoint = NewClientEndpoint();
                endpoints.Add(endpoint);
                var raw = await RawClient.ConnectAsync(master.BaseUrl);
                rawClients.Add(raw);
                runs.Add(RunClientAsync(raw, endpoint, i));
            }

            var results = await Task.WhenAll(runs).WaitAsync(ManyClientsBound);
            for (var i = 0; i < clients; i++)
            {
                Assert.Equal($"client {i}", results[i].Text);
                Assert.Equal(BitConverter.GetBytes(i), results[i].Binary);
            }

            // The slave trickled nothing (no host candidate, no null end-of-candidates the 0.9 client throws on): a
            // candidate would have followed the answer on the same socket, long before the channel echoed.
            Assert.All(rawClients, r => Assert.DoesNotContain(r.DrainPending(), m => m is IceCandidateFromSlave));

            Assert.Equal(clients, slave.ClientCount);
            Assert.Equal(clients, slave.LiveSessions);
            ClientConnection[] snapshot;
            lock (connections)
            {
                snapshot = [.. connections];
            }

            Assert.Equal(clients, snapshot.Select(c => c.ClientId).Distinct().Count());
            Assert.All(snapshot, c => Assert.Equal("c", Assert.Single(c.DataChannels).Label));

            // The clients leave (their endpoints abort): every ClientConnection reports it, and the slave frees them all.
            foreach (var endpoint in endpoints)
            {
                await endpoint.DisposeAsync();
            }

            var closed = await Task.WhenAll(snapshot.Select(c => c.Completion)).WaitAsync(ManyClientsBound);
            Assert.All(closed, c => Assert.Equal(ClientCloseReason.ClientLeft, c.Reason));
            Assert.True(SpinWait.SpinUntil(() => slave.ClientCount == 0 && slave.LiveSessions == 0, TestTimeouts.Event),
                $"clients {slave.ClientCount}, sessions {slave.LiveSessions}");
            Assert.All(snapshot, c => Assert.Empty(c.DataChannels));
        }
        finally
        {
            foreach (var endpoint in endpoints)
            {
                await endpoint.DisposeAsync();
            }

            foreach (var raw in rawClients)
            {
                await raw.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task SlaveLeaves_EveryClientConnectionClosesAsClosedBySlave_AndTheClientSeesItsSessionEnd()
    {
        await using var master = await RealMaster.StartAsync();
        var slave = new EnslavismSlave(webRtcOptions: LoopbackOptions());
        await using var slaveGuard = slave;
        var accepted = new TaskCompletionSource<ClientConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        slave.ClientConnected += (_, e) =>
        {
            EchoHostRunner.AttachEcho(e.Client, NullLogger.Instance);
            accepted.TrySetResult(e.Client);
        };
        await slave.ConnectAsync(master.BaseUrl, JsonUserData.Parse("""{"name":"leaving"}"""));
        await using var endpoint = NewClientEndpoint();
        await using var raw = await RawClient.ConnectAsync(master.BaseUrl);
        var (peer, _) = await ConnectAsync(raw, endpoint);
        var client = await accepted.Task.Within("the slave's connection event");

        await slave.DisposeAsync();

        Assert.Equal(ClientCloseReason.ClosedBySlave, (await client.Completion.Within("the client connection to close")).Reason);
        await peer.WhenClosed.Within("the client's session to end");
        Assert.Equal(0, slave.ClientCount);
    }

    [Fact]
    public async Task OfferAdmission_Rejects_ClientGetsRejectFromSlave_AndNoSessionIsCreated()
    {
        await using var master = await RealMaster.StartAsync();
        await using var slave = new EnslavismSlave(webRtcOptions: LoopbackOptions());
        var seen = new TaskCompletionSource<IncomingOffer>(TaskCreationOptions.RunContinuationsAsynchronously);
        slave.OfferAdmission = (offer, _) =>
        {
            seen.TrySetResult(offer);
            return ValueTask.FromResult(OfferDecision.Reject);
        };
        await slave.ConnectAsync(master.BaseUrl, JsonUserData.Parse("""{"name":"picky"}"""));
        await using var endpoint = NewClientEndpoint();
        await using var raw = await RawClient.ConnectAsync(master.BaseUrl);
        var entry = await raw.NextAddedSlaveAsync();
        var offer = await endpoint.CreateOfferAsync();

        await raw.SendAsync(new OfferToSlave(entry.Id, offer.Sdp));

        Assert.Equal(entry.Id, (await raw.ReceiveAsync<RejectFromSlave>()).SlaveId);
        Assert.Equal(offer.Sdp, (await seen.Task.Within("the admission hook")).Sdp);
        Assert.Equal(0, slave.LiveSessions);
        Assert.Equal(0, slave.ClientCount);
    }

    [Fact]
    public async Task SlaveSendsOneMegabyte_PacedByBufferedAmountLow_ClientGetsEveryByte_ThenSlaveClosesTheClient()
    {
        const int chunk = 16 * 1024;
        const int chunks = 64;
        const long threshold = 64 * 1024;
        await using var master = await RealMaster.StartAsync();
        await using var slave = new EnslavismSlave(webRtcOptions: LoopbackOptions());
        var serverChannel = new TaskCompletionSource<(ClientConnection Client, WebRtcDataChannel Channel)>(TaskCreationOptions.RunContinuationsAsynchronously);
        slave.ClientConnected += (_, e) => e.Client.DataChannel += (_, d) => serverChannel.TrySetResult((e.Client, d.Channel));
        await slave.ConnectAsync(master.BaseUrl, JsonUserData.Parse("""{"name":"bulk"}"""));
        await using var endpoint = NewClientEndpoint();
        await using var raw = await RawClient.ConnectAsync(master.BaseUrl);
        var (peer, _) = await ConnectAsync(raw, endpoint);
        var channel = await peer.CreateDataChannelAsync("bulk");
        long received = 0;
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        channel.Message += (_, m) =>
        {
            if (Interlocked.Add(ref received, m.Data.Length) == (long)chunk * chunks)
            {
                all.TrySetResult();
            }
        };
        var (client, server) = await serverChannel.Task.Within("the slave to see the channel");
        await server.WhenOpen.Within("the slave's channel to open");

        // Backpressure as a browser does it: fill to the threshold, then wait for BufferedAmountLow.
        server.BufferedAmountLowThreshold = threshold;
        var maxBuffered = 0L;
        var lowEvents = 0;
        for (var sent = 0; sent < chunks;)
        {
            var low = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnLow(WebRtcDataChannel c)
            {
                Interlocked.Increment(ref lowEvents);
                low.TrySetResult();
            }

            server.BufferedAmountLow += OnLow;
            while (sent < chunks && server.BufferedAmount <= threshold)
            {
                server.Send(new byte[chunk]);
                sent++;
                maxBuffered = Math.Max(maxBuffered, server.BufferedAmount);
            }

            if (sent < chunks)
            {
                await low.Task.Within("BufferedAmountLow");
            }

            server.BufferedAmountLow -= OnLow;
        }

        await all.Task.Within("every byte at the client");
        Assert.Equal((long)chunk * chunks, Interlocked.Read(ref received));
        Assert.True(maxBuffered <= threshold + chunk, $"buffered {maxBuffered}");
        Assert.True(lowEvents > 0);

        client.Close();

        Assert.Equal(ClientCloseReason.ClosedBySlave, (await client.Completion.Within("the slave-side close")).Reason);
        await peer.WhenClosed.Within("the client's session to end");
        Assert.True(SpinWait.SpinUntil(() => slave.ClientCount == 0 && slave.LiveSessions == 0, TestTimeouts.Event));
    }

    [Fact]
    public async Task ThrowingHandlers_DoNotStopTheOtherHandlers_NorTheRelease()
    {
        await using var master = await RealMaster.StartAsync();
        await using var slave = new EnslavismSlave(webRtcOptions: LoopbackOptions());
        var closed = new TaskCompletionSource<ClientClosedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        slave.ClientConnected += (_, e) =>
        {
            e.Client.DataChannel += (_, _) => throw new InvalidOperationException("application bug");
            EchoHostRunner.AttachEcho(e.Client, NullLogger.Instance);
            e.Client.Closed += (_, _) => throw new InvalidOperationException("application bug");
            e.Client.Closed += (_, c) => closed.TrySetResult(c);
        };
        await slave.ConnectAsync(master.BaseUrl, JsonUserData.Parse("""{"name":"buggy"}"""));
        var endpoint = NewClientEndpoint();
        await using var endpointGuard = endpoint;
        await using var raw = await RawClient.ConnectAsync(master.BaseUrl);

        var (text, _) = await RunClientAsync(raw, endpoint, 7);
        Assert.Equal("client 7", text);
        await endpoint.DisposeAsync();

        Assert.Equal(ClientCloseReason.ClientLeft, (await closed.Task.Within("the second Closed handler")).Reason);
        Assert.True(SpinWait.SpinUntil(() => slave.ClientCount == 0 && slave.LiveSessions == 0, TestTimeouts.Event));
    }

    [Fact]
    public void WebRtcOptions_Invalid_AreRejectedBeforeBinding()
    {
        var options = new SlaveWebRtcOptions { BindAddress = "not-an-ip", Port = 70000, PortRangeEnd = 5 };
        options.AnnouncedAddresses.Add("0.0.0.0");

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new WebRtcPeerConnectionFactory(options));

        Assert.Contains("BindAddress", error.Message, StringComparison.Ordinal);
        Assert.Contains("AnnouncedAddresses", error.Message, StringComparison.Ordinal);
        Assert.Contains("Port must be", error.Message, StringComparison.Ordinal);
        Assert.Contains("PortRangeEnd", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PortRange_SkipsAPortInUse()
    {
        await using var first = new WebRtcPeerConnectionFactory(LoopbackOptions());
        var taken = first.Endpoint.LocalEndPoint.Port;
        if (taken == 65535)
        {
            return; // No room above it for a range; the ephemeral allocator rarely picks it.
        }

        var options = LoopbackOptions();
        options.Port = taken;
        options.PortRangeEnd = taken + 1;
        try
        {
            await using var second = new WebRtcPeerConnectionFactory(options);
            Assert.Equal(taken + 1, second.Endpoint.LocalEndPoint.Port);
        }
        catch (System.Net.Sockets.SocketException)
        {
            // taken + 1 was in use by something else on this machine: then the range really is exhausted.
        }
    }

    private static async Task<(string Text, byte[] Binary)> RunClientAsync(RawClient raw, WebRtcEndpoint endpoint, int index)
    {
        var (peer, _) = await ConnectAsync(raw, endpoint);
        var channel = await peer.CreateDataChannelAsync("c");
        var text = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var binary = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        channel.Message += (_, m) =>
        {
            if (m.IsText)
            {
                text.TrySetResult(m.Text);
            }
            else
            {
                binary.TrySetResult(m.Data);
            }
        };
        await channel.WhenOpen.WaitAsync(ManyClientsBound);
        channel.Send($"client {index}");
        channel.Send(BitConverter.GetBytes(index));
        return (await text.Task.WaitAsync(ManyClientsBound), await binary.Task.WaitAsync(ManyClientsBound));
    }

    /// <summary>Offers through the master to its (only) slave and connects with the relayed answer.</summary>
    private static async Task<(PeerConnection Peer, string Answer)> ConnectAsync(RawClient raw, WebRtcEndpoint endpoint)
    {
        var entry = await raw.NextAddedSlaveAsync();
        var offer = await endpoint.CreateOfferAsync();
        await raw.SendAsync(new OfferToSlave(entry.Id, offer.Sdp));
        var answer = await raw.ReceiveAsync<AnswerFromSlave>();
        Assert.Equal(entry.Id, answer.SlaveId);
        Assert.Contains("a=ice-lite", answer.Sdp, StringComparison.Ordinal);

        // ICE-lite: the answer carries the host candidate and a=end-of-candidates; nothing is trickled.
        Assert.Contains("a=candidate:", answer.Sdp, StringComparison.Ordinal);
        Assert.Contains("a=end-of-candidates", answer.Sdp, StringComparison.Ordinal);
        var peer = await endpoint.ConnectAsync(offer, answer.Sdp);
        await peer.WhenConnected.WaitAsync(ManyClientsBound);
        return (peer, answer.Sdp);
    }
}
