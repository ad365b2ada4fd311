using System.Net;
using System.Text.RegularExpressions;
using Enslavism.WebRtc.DataChannels;
using Enslavism.WebRtc.Dtls;
using Enslavism.WebRtc.Host;
using Enslavism.WebRtc.Session;
using Enslavism.WebRtc.Tests.Dtls;

namespace Enslavism.WebRtc.Tests.Host;

/// <summary>.NET ↔ .NET over real UDP on 127.0.0.1 through two <see cref="WebRtcEndpoint"/>s (real BouncyCastle DTLS).</summary>
public sealed class WebRtcEndpointTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private static WebRtcEndpoint NewEndpoint(DtlsIdentity identity) => new(new WebRtcEndpointOptions
    {
        BindEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
        Identity = identity,
        LoopbackOnly = true,
    });

    private static void EchoEverything(PeerConnection peer) =>
        peer.DataChannel += channel => channel.Message += (c, m) =>
        {
            if (m.IsText)
            {
                c.Send("echo:" + m.Text);
            }
            else
            {
                c.Send(m.Data);
            }
        };

    [Fact]
    public async Task ConnectAndEcho_OverLoopbackUdp()
    {
        await using var server = NewEndpoint(DtlsTestSupport.ServerIdentity);
        await using var client = NewEndpoint(DtlsTestSupport.ClientIdentity);
        var offer = await client.CreateOfferAsync();
        var (answer, serverPeer) = await server.AcceptOfferAsync(offer.Sdp);
        EchoEverything(serverPeer);
        Assert.Contains($"127.0.0.1 {server.LocalEndPoint.Port} typ host", answer, StringComparison.Ordinal);
        var peer = await client.ConnectAsync(offer, answer);
        await peer.WhenConnected.WaitAsync(Limit);
        await serverPeer.WhenConnected.WaitAsync(Limit);

        var channel = await peer.CreateDataChannelAsync("echo", new DataChannelOptions { Protocol = "json" });
        var received = new List<DataChannelMessage>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        channel.Message += (_, m) =>
        {
            lock (received)
            {
                received.Add(m);
                if (received.Count == 3)
                {
                    done.TrySetResult();
                }
            }
        };
        await channel.WhenOpen.WaitAsync(Limit);
        Assert.Equal(0, channel.Id % 2);
        channel.Send("hi");
        channel.Send(new byte[] { 9, 8, 7 });
        channel.Send("");
        await done.Task.WaitAsync(Limit);
        Assert.Equal("echo:hi", received[0].Text);
        Assert.Equal(new byte[] { 9, 8, 7 }, received[1].Data);
        Assert.Equal("echo:", received[2].Text);

        peer.Close();
        var closed = await serverPeer.WhenClosed.WaitAsync(Limit);
        Assert.True(closed.Reason is SessionCloseReason.Shutdown or SessionCloseReason.DtlsClosedByPeer, closed.ToString());
        Assert.Equal(SessionCloseReason.LocalClose, (await peer.WhenClosed.WaitAsync(Limit)).Reason);
    }

    [Fact]
    public async Task BurstOfDistinctMessages_EchoedIntactAndInOrder()
    {
        // Receive buffers are pooled and reused, and sends are bundled per loop turn: a burst of messages of many
        // sizes (single-chunk and fragmented) with distinct content must come back byte-identical and in order.
        await using var server = NewEndpoint(DtlsTestSupport.ServerIdentity);
        await using var client = NewEndpoint(DtlsTestSupport.ClientIdentity);
        var offer = await client.CreateOfferAsync();
        var (answer, serverPeer) = await server.AcceptOfferAsync(offer.Sdp);
        EchoEverything(serverPeer);
        var peer = await client.ConnectAsync(offer, answer);
        var channel = await peer.CreateDataChannelAsync("burst");
        const int count = 600;
        var random = new Random(7);
        var sent = Enumerable.Range(0, count).Select(i =>
        {
            var message = new byte[1 + random.Next(i % 10 == 0 ? 40_000 : 1_500)];
            random.NextBytes(message);
            return message;
        }).ToList();
        var received = new List<byte[]>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        channel.Message += (_, m) =>
        {
            received.Add(m.Data);
            if (received.Count == count)
            {
                done.TrySetResult();
            }
        };
        await channel.WhenOpen.WaitAsync(Limit);
        foreach (var message in sent)
        {
            channel.Send(message);
        }

        await done.Task.WaitAsync(Limit);
        for (var i = 0; i < count; i++)
        {
            Assert.True(sent[i].AsSpan().SequenceEqual(received[i]), $"message {i} differs");
        }

        // 600 messages of up to 40 KB cannot travel in fewer datagrams than they have 1 200-byte packets.
        var minimumPackets = sent.Sum(m => (m.Length + 1199) / 1200);
        Assert.True(client.DatagramsSent >= minimumPackets, $"{client.DatagramsSent} datagrams sent, {minimumPackets} packets needed");
        Assert.True(server.DatagramsReceived >= minimumPackets, $"{server.DatagramsReceived} datagrams received");

        peer.Close();
        await serverPeer.WhenClosed.WaitAsync(Limit);
    }

    [Fact]
    public async Task SendsFromSeveralThreads_EachThreadsMessagesArriveInItsOrder()
    {
        // Sends are queued per channel and flushed by one loop command per burst; concurrent senders must lose
        // nothing and keep each sender's order (one ordered channel), with text and binary kept apart.
        await using var server = NewEndpoint(DtlsTestSupport.ServerIdentity);
        await using var client = NewEndpoint(DtlsTestSupport.ClientIdentity);
        var offer = await client.CreateOfferAsync();
        var (answer, serverPeer) = await server.AcceptOfferAsync(offer.Sdp);
        const int threads = 4, perThread = 2_000;
        var received = new List<(bool IsText, byte[] Data)>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        serverPeer.DataChannel += channel => channel.Message += (_, m) =>
        {
            received.Add((m.IsText, m.Data));
            if (received.Count == threads * perThread)
            {
                done.TrySetResult();
            }
        };
        var peer = await client.ConnectAsync(offer, answer);
        var channel = await peer.CreateDataChannelAsync("many");
        await channel.WhenOpen.WaitAsync(Limit);
        using var start = new Barrier(threads);
        var senders = Enumerable.Range(0, threads).Select(t => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < perThread; i++)
            {
                if (t % 2 == 0)
                {
                    channel.Send($"{t}:{i}");
                }
                else
                {
                    channel.Send(new byte[] { (byte)t, (byte)(i >> 8), (byte)i });
                }
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(senders).WaitAsync(Limit);
        await done.Task.WaitAsync(Limit);

        var next = new int[threads];
        foreach (var (isText, data) in received)
        {
            int t, i;
            if (isText)
            {
                var parts = System.Text.Encoding.UTF8.GetString(data).Split(':');
                (t, i) = (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                (t, i) = (data[0], (data[1] << 8) | data[2]);
            }

            Assert.Equal(isText, t % 2 == 0);
            Assert.Equal(next[t], i);
            next[t]++;
        }

        Assert.All(next, n => Assert.Equal(perThread, n));
        peer.Close();
        await serverPeer.WhenClosed.WaitAsync(Limit);
    }

    [Fact]
    public async Task DualModeEndpoints_IPv4Loopback_Echo()
    {
        // Default binding ([::]:0, dual mode) sends to IPv4 peers through cached, IPv4-mapped socket addresses.
        await using var server = new WebRtcEndpoint(new WebRtcEndpointOptions { Identity = DtlsTestSupport.ServerIdentity, LoopbackOnly = true });
        await using var client = new WebRtcEndpoint(new WebRtcEndpointOptions { Identity = DtlsTestSupport.ClientIdentity, LoopbackOnly = true });
        var offer = await client.CreateOfferAsync();
        var (answer, serverPeer) = await server.AcceptOfferAsync(offer.Sdp);
        EchoEverything(serverPeer);
        var peer = await client.ConnectAsync(offer, answer);
        var channel = await peer.CreateDataChannelAsync("v4");
        var echoed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        channel.Message += (_, m) => echoed.TrySetResult(m.Text);
        await channel.WhenOpen.WaitAsync(Limit);
        channel.Send("mapped");
        Assert.Equal("echo:mapped", await echoed.Task.WaitAsync(Limit));
        Assert.Equal(IPAddress.Loopback, peer.RemoteEndPoint!.Address);
        peer.Close();
        await serverPeer.WhenClosed.WaitAsync(Limit);
    }

    [Fact]
    public async Task SenderPacingOnBufferedAmount_NeverOverrunsSmallSctpQueue()
    {
        // Sends are flushed to SCTP in bursts; BufferedAmount must keep counting the flushed bytes until SCTP's own
        // figure is read back, or a sender pacing on it overruns MaxBufferedAmount and sends fail with BufferFull.
        var sctp = WebRtcSessionOptions.Default.Sctp with { MaxBufferedAmount = 256 * 1024 };
        WebRtcEndpoint Endpoint(DtlsIdentity identity) => new(new WebRtcEndpointOptions
        {
            BindEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Identity = identity,
            LoopbackOnly = true,
            Session = WebRtcSessionOptions.Default with { Sctp = sctp },
        });
        await using var server = Endpoint(DtlsTestSupport.ServerIdentity);
        await using var client = Endpoint(DtlsTestSupport.ClientIdentity);
        var offer = await client.CreateOfferAsync();
        var (answer, serverPeer) = await server.AcceptOfferAsync(offer.Sdp);
        const int count = 2_000;
        var received = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        serverPeer.DataChannel += c => c.Message += (_, _) =>
        {
            if (++received == count)
            {
                done.TrySetResult();
            }
        };
        var peer = await client.ConnectAsync(offer, answer);
        var channel = await peer.CreateDataChannelAsync("paced");
        var errors = new List<string>();
        channel.Error += (_, e) =>
        {
            lock (errors)
            {
                errors.Add(e);
            }

            done.TrySetResult();
        };
        using var low = new SemaphoreSlim(0);
        channel.BufferedAmountLowThreshold = 64 * 1024;
        channel.BufferedAmountLow += _ => low.Release();
        await channel.WhenOpen.WaitAsync(Limit);
        var payload = new byte[8 * 1024];
        for (var i = 0; i < count; i++)
        {
            while (channel.BufferedAmount > 128 * 1024)
            {
                await low.WaitAsync(TimeSpan.FromMilliseconds(20));
            }

            channel.Send(payload);
        }

        await done.Task.WaitAsync(Limit);
        Assert.Empty(errors);
        Assert.Equal(count, received);
        peer.Close();
        await serverPeer.WhenClosed.WaitAsync(Limit);
    }

    [Fact]
    public async Task FiftyConcurrentClients_EachHaveAnIndependentWorkingChannel()
    {
        const int clients = 50;
        await using var server = NewEndpoint(DtlsTestSupport.ServerIdentity);
        var endpoints = new List<WebRtcEndpoint>();
        try
        {
            var tasks = new List<Task>();
            for (var i = 0; i < clients; i++)
            {
                var client = NewEndpoint(DtlsTestSupport.ClientIdentity);
                endpoints.Add(client);
                var index = i;
                tasks.Add(Task.Run(async () =>
                {
                    var offer = await client.CreateOfferAsync();
                    var (answer, serverPeer) = await server.AcceptOfferAsync(offer.Sdp);
                    EchoEverything(serverPeer);
                    var peer = await client.ConnectAsync(offer, answer);
                    await peer.WhenConnected.WaitAsync(Limit);
                    var channel = await peer.CreateDataChannelAsync("c" + index);
                    var reply = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
                    channel.Message += (_, m) => reply.TrySetResult(m.Text);
                    await channel.WhenOpen.WaitAsync(Limit);
                    channel.Send("client " + index);
                    Assert.Equal("echo:client " + index, await reply.Task.WaitAsync(Limit));
                }));
            }

            await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(120));
            Assert.Equal(clients, server.LiveSessions);
        }
        finally
        {
            foreach (var endpoint in endpoints)
            {
                await endpoint.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task WrongFingerprintInOffer_SessionFails()
    {
        await using var server = NewEndpoint(DtlsTestSupport.ServerIdentity);
        await using var client = NewEndpoint(DtlsTestSupport.ClientIdentity);
        var offer = await client.CreateOfferAsync();
        var forged = Regex.Replace(offer.Sdp, "a=fingerprint:[^\\r\\n]*", "a=fingerprint:" + DtlsTestSupport.OtherIdentity.Fingerprint.ToSdpValue());
        var (answer, serverPeer) = await server.AcceptOfferAsync(forged);
        var peer = await client.ConnectAsync(offer, answer);
        var closed = await serverPeer.WhenClosed.WaitAsync(Limit);
        Assert.Equal(SessionCloseReason.DtlsFailed, closed.Reason);
        await Assert.ThrowsAsync<WebRtcException>(() => serverPeer.WhenConnected);
        await Assert.ThrowsAsync<WebRtcException>(() => peer.WhenConnected.WaitAsync(Limit));
    }

    [Fact]
    public async Task InvalidOffer_ThrowsTypedError()
    {
        await using var server = NewEndpoint(DtlsTestSupport.ServerIdentity);
        var error = await Assert.ThrowsAsync<WebRtcException>(() => server.AcceptOfferAsync("v=0\r\n"));
        Assert.Equal(SessionErrorReason.InvalidSdp, error.Error.Reason);
    }
}

public sealed class WebRtcEndpointHandshakeLimitTests
{
    [Fact]
    public async Task OneHandshakeSlot_QueuedHandshakesAllComplete()
    {
        await using var server = new WebRtcEndpoint(new WebRtcEndpointOptions
        {
            BindEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Identity = DtlsTestSupport.ServerIdentity,
            LoopbackOnly = true,
            MaxConcurrentHandshakes = 1,
        });
        var clients = new List<WebRtcEndpoint>();
        try
        {
            var connects = new List<Task>();
            for (var i = 0; i < 4; i++)
            {
                var client = new WebRtcEndpoint(new WebRtcEndpointOptions
                {
                    BindEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
                    Identity = DtlsTestSupport.ClientIdentity,
                    LoopbackOnly = true,
                });
                clients.Add(client);
                var offer = await client.CreateOfferAsync();
                var (answer, serverPeer) = await server.AcceptOfferAsync(offer.Sdp);
                var peer = await client.ConnectAsync(offer, answer);
                connects.Add(peer.WhenConnected);
                connects.Add(serverPeer.WhenConnected);
            }

            await Task.WhenAll(connects).WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }
}
