using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Enslavism.WebRtc.DataChannels;
using Enslavism.WebRtc.Host;
using Enslavism.WebRtc.Session;
using Enslavism.WebRtc.Tests.Dtls;

/// <summary>
/// .NET ↔ .NET over loopback UDP through two WebRtcEndpoints (real DTLS, SCTP, DCEP): bulk throughput, one-way
/// small-message rate and sequential round trips on one reliable ordered channel.
/// </summary>
internal static class SessionUdpBench
{
    /// <summary>Further sessions from fresh client endpoints to the same server: setup once the process is warm.</summary>
    private static async Task WarmConnects(WebRtcEndpoint server, WebRtcEndpointOptions options, int count)
    {
        var times = new List<double>();
        for (var i = 0; i < count; i++)
        {
            await using var client = new WebRtcEndpoint(options with { WarmUp = false });
            var offer = await client.CreateOfferAsync();
            var watch = Stopwatch.StartNew();
            var (answer, serverPeer) = await server.AcceptOfferAsync(offer.Sdp);
            var peer = await client.ConnectAsync(offer, answer);
            await peer.WhenConnected.WaitAsync(TimeSpan.FromSeconds(15));
            var channel = await peer.CreateDataChannelAsync("setup");
            await channel.WhenOpen.WaitAsync(TimeSpan.FromSeconds(15));
            times.Add(watch.Elapsed.TotalMilliseconds);
            peer.Abort("setup measured");
            await serverPeer.WhenClosed.WaitAsync(TimeSpan.FromSeconds(15));
        }

        times.Sort();
        Console.WriteLine($"connect + open, warm: median {times[times.Count / 2]:F1} ms [{times[0]:F1} – {times[^1]:F1}] over {count} sessions (answer + ICE + DTLS + SCTP + DCEP)");
    }

    public static async Task<int> Run(string[] args)
    {
        // --baseline: the setup path as it was before the BCL handshake crypto and the warm-up, for before/after runs.
        var baseline = args.Contains("--baseline");
        // --plain: the test suite's FakeDtlsEngine (plaintext records, no handshake crypto) instead of BouncyCastle, to
        // measure everything but the DTLS record layer. --alloc-types: which types the allocations of each phase are.
        var plain = args.Contains("--plain");
        // --warmup: an unreported bulk + small pass first, so the reported phases show steady state (tier-1 JIT done)
        // rather than the cold start every default run includes.
        var warmup = args.Contains("--warmup");
        using var sampler = args.Contains("--alloc-types") ? new AllocationSampler() : null;
        args = [.. args.Where(a => !a.StartsWith("--", StringComparison.Ordinal))];
        var megabytes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 64;
        var smallMessages = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200_000;
        var roundTrips = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5_000;
        var options = new WebRtcEndpointOptions
        {
            BindEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            LoopbackOnly = true,
            WarmUp = !baseline,
            // ENSLAVISM_RECEIVE_BATCH=N: WebRtcSessionOptions.ReceiveBatchPackets, to compare settings.
            Session = baseline
                ? new WebRtcSessionOptions { Dtls = new Enslavism.WebRtc.Dtls.DtlsOptions { UseBclPublicKeyCrypto = false } }
                : Environment.GetEnvironmentVariable("ENSLAVISM_RECEIVE_BATCH") is { } batch
                    ? WebRtcSessionOptions.Default with { ReceiveBatchPackets = int.Parse(batch, CultureInfo.InvariantCulture) }
                    : WebRtcSessionOptions.Default,
            DtlsEngineFactory = plain ? (role, identity, remote, dtlsOptions) => new FakeDtlsEngine(role, identity.Fingerprint, remote, dtlsOptions) : null,
        };
        if (plain)
        {
            Console.WriteLine("PLAIN: FakeDtlsEngine, no DTLS cryptography (not comparable with the default mode)");
        }

        var warmUp = Stopwatch.StartNew();
        await using var server = new WebRtcEndpoint(options);
        await using var client = new WebRtcEndpoint(options with { WarmUp = false });
        // Like a slave that has been up a while: the first client comes after the warm-up (off with --baseline).
        var warmed = await server.WhenWarmedUp;
        Console.WriteLine(baseline ? "baseline: BouncyCastle EC math, no warm-up" : $"warm-up: {(warmed ? "done" : "FAILED")} in {warmUp.ElapsedMilliseconds} ms");
        var offer = await client.CreateOfferAsync();
        var (answer, serverPeer) = await server.AcceptOfferAsync(offer.Sdp);
        long receivedBytes = 0, receivedMessages = 0, target = long.MaxValue, corrupt = 0;
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        serverPeer.DataChannel += channel => channel.Message += (c, m) =>
        {
            if (m.IsText)
            {
                c.Send(m.Text); // round-trip mode echoes text
                return;
            }

            // Each message carries its sequence number at both ends: checks order, content and no cross-message reuse.
            var data = m.Data;
            if (data.Length < 4 || BinaryPrimitives.ReadInt32LittleEndian(data) != receivedMessages || data[^1] != (byte)receivedMessages)
            {
                corrupt++;
            }

            receivedBytes += data.Length;
            if (++receivedMessages >= Volatile.Read(ref target))
            {
                reached.TrySetResult();
            }
        };
        var started = Stopwatch.StartNew();
        var peer = await client.ConnectAsync(offer, answer);
        await peer.WhenConnected.WaitAsync(TimeSpan.FromSeconds(15));
        var channel = await peer.CreateDataChannelAsync("bench");
        await channel.WhenOpen.WaitAsync(TimeSpan.FromSeconds(15));
        Console.WriteLine($"connect + open: {started.Elapsed.TotalMilliseconds:F1} ms (first session of the process)");
        await WarmConnects(server, options, 10);

        // A refused send (e.g. buffer full) must fail the run at once rather than leave it waiting for the count.
        channel.Error += (_, error) => reached.TrySetException(new InvalidOperationException("channel error: " + error));
        using var low = new SemaphoreSlim(0);
        channel.BufferedAmountLowThreshold = 1 << 20;
        channel.BufferedAmountLow += _ => low.Release();

        async Task OneWay(string name, int size, int count)
        {
            receivedBytes = 0;
            receivedMessages = 0;
            corrupt = 0;
            reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref target, count);
            var payload = new byte[size];
            sampler?.Reset();
            var threads = ThreadCpu.Snapshot();
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var gcs = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            var datagrams = (client.DatagramsSent, server.DatagramsSent);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                while (channel.BufferedAmount > 4 << 20)
                {
                    await low.WaitAsync(TimeSpan.FromMilliseconds(50));
                }

                BinaryPrimitives.WriteInt32LittleEndian(payload, i);
                payload[^1] = (byte)i;
                channel.Send(payload);
            }

            await reached.Task.WaitAsync(TimeSpan.FromMinutes(5));
            if (receivedBytes != (long)count * size || corrupt != 0)
            {
                throw new InvalidOperationException($"{name}: received {receivedBytes} B, expected {(long)count * size}; {corrupt} messages out of order or corrupt");
            }

            var seconds = watch.Elapsed.TotalSeconds;
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            var allocatedPerMessage = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)count;
            Console.WriteLine($"{name}: {count} × {size} B in {seconds:F2} s → {count / seconds:F0} msg/s, {(double)count * size / seconds / 1e6:F1} MB/s (process CPU {cpuSeconds:F2} s, both endpoints)");
            Console.WriteLine($"  per CPU-second: {count / cpuSeconds:F0} msg, {(double)count * size / cpuSeconds / 1e6:F1} MB; allocated {allocatedPerMessage:F0} B/msg;"
                + $" GCs gen0/1/2 {GC.CollectionCount(0) - gcs.Item1}/{GC.CollectionCount(1) - gcs.Item2}/{GC.CollectionCount(2) - gcs.Item3}");
            Console.WriteLine($"  thread CPU (s): {ThreadCpu.Describe(threads, ThreadCpu.Snapshot())}");
            Console.WriteLine($"  datagrams per message: sender {(client.DatagramsSent - datagrams.Item1) / (double)count:F2}, receiver {(server.DatagramsSent - datagrams.Item2) / (double)count:F2}");
            if (sampler is not null)
            {
                Console.WriteLine($"  allocated types (sampled): {sampler.Describe(8)}");
            }

        }

        if (warmup)
        {
            await OneWay("warm-up bulk", 16 * 1024, 16 * 64);
            await OneWay("warm-up small", 100, 50_000);
        }

        await OneWay("bulk", 16 * 1024, megabytes * 64);
        await OneWay("small", 100, smallMessages);

        var replies = new SemaphoreSlim(0);
        channel.Message += (_, _) => replies.Release();
        var rtt = Stopwatch.StartNew();
        for (var i = 0; i < roundTrips; i++)
        {
            channel.Send("p");
            await replies.WaitAsync(TimeSpan.FromSeconds(10));
        }

        Console.WriteLine($"round trips: {roundTrips} in {rtt.Elapsed.TotalSeconds:F2} s → {rtt.Elapsed.TotalMilliseconds * 1000 / roundTrips:F0} µs each");
        peer.Close();
        await serverPeer.WhenClosed.WaitAsync(TimeSpan.FromSeconds(10));
        return 0;
    }
}
