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
            // ENSLAVISM_MAX_QUEUED_BYTES=N: SctpOptions.MaxQueuedBytes (0 = no delay cap).
            Session = baseline
                ? new WebRtcSessionOptions { Dtls = new Enslavism.WebRtc.Dtls.DtlsOptions { UseBclPublicKeyCrypto = false } }
                : SessionOptionsFromEnvironment(),
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
            var sctp = peer.Stats.Sctp;
            var sctpBefore = (sctp.DataChunksRetransmitted, sctp.FastRetransmits, sctp.T3Expirations, sctp.DelayLimitedAcks, sctp.BurstLimitedSends);
            var udpDropsBefore = UdpReceiveBufferErrors();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            using var sampling = new CancellationTokenSource();
            var samples = SampleSender(peer, sampling.Token);
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
            await sampling.CancelAsync();
            var window = await samples;
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            var allocatedPerMessage = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)count;
            Console.WriteLine($"{name}: {count} × {size} B in {seconds:F2} s → {count / seconds:F0} msg/s, {(double)count * size / seconds / 1e6:F1} MB/s (process CPU {cpuSeconds:F2} s, both endpoints)");
            Console.WriteLine($"  per CPU-second: {count / cpuSeconds:F0} msg, {(double)count * size / cpuSeconds / 1e6:F1} MB; allocated {allocatedPerMessage:F0} B/msg;"
                + $" GCs gen0/1/2 {GC.CollectionCount(0) - gcs.Item1}/{GC.CollectionCount(1) - gcs.Item2}/{GC.CollectionCount(2) - gcs.Item3}");
            Console.WriteLine($"  thread CPU (s): {ThreadCpu.Describe(threads, ThreadCpu.Snapshot())}");
            Console.WriteLine($"  datagrams per message: sender {(client.DatagramsSent - datagrams.Item1) / (double)count:F2}, receiver {(server.DatagramsSent - datagrams.Item2) / (double)count:F2}");
            Console.WriteLine($"  sender SCTP: retransmitted chunks {sctp.DataChunksRetransmitted - sctpBefore.Item1}, fast retransmits {sctp.FastRetransmits - sctpBefore.Item2},"
                + $" T3 {sctp.T3Expirations - sctpBefore.Item3}, delay-limited acks {sctp.DelayLimitedAcks - sctpBefore.Item4}, burst-limited sends {sctp.BurstLimitedSends - sctpBefore.Item5};"
                + $" kernel UDP receive-buffer drops {UdpReceiveBufferErrors() - udpDropsBefore}");
            Console.WriteLine($"  sender window (median of 1 ms samples): {window}");
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

    private static WebRtcSessionOptions SessionOptionsFromEnvironment()
    {
        var session = WebRtcSessionOptions.Default;
        if (Environment.GetEnvironmentVariable("ENSLAVISM_RECEIVE_BATCH") is { } batch)
        {
            session = session with { ReceiveBatchPackets = int.Parse(batch, CultureInfo.InvariantCulture) };
        }

        if (Environment.GetEnvironmentVariable("ENSLAVISM_MAX_QUEUED_BYTES") is { } queued)
        {
            session = session with { Sctp = session.Sctp with { MaxQueuedBytes = int.Parse(queued, CultureInfo.InvariantCulture) } };
        }

        return session;
    }

    /// <summary>Udp RcvbufErrors from /proc/net/snmp (the whole network namespace), or -1 where it cannot be read.</summary>
    private static long UdpReceiveBufferErrors()
    {
        try
        {
            var lines = File.ReadAllLines("/proc/net/snmp").Where(l => l.StartsWith("Udp: ", StringComparison.Ordinal)).ToArray();
            var names = lines[0].Split(' ');
            var values = lines[1].Split(' ');
            return long.Parse(values[Array.IndexOf(names, "RcvbufErrors")], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexOutOfRangeException or FormatException)
        {
            return -1;
        }
    }

    /// <summary>
    /// Samples the sending association's SRTT, min RTT, cwnd and flight every millisecond (racy reads from another
    /// thread: diagnostics only) and returns the medians and the Vegas queue estimate they imply.
    /// </summary>
    private static async Task<string> SampleSender(PeerConnection peer, CancellationToken cancellationToken)
    {
        var session = (WebRtcSession)typeof(PeerConnection).GetProperty("Session", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!.GetValue(peer)!;
        var sctp = session.Sctp;
        var srtt = new List<double>();
        var minRtt = new List<double>();
        var cwnd = new List<double>();
        var flight = new List<double>();
        var queued = new List<double>();
        while (!cancellationToken.IsCancellationRequested)
        {
            if (sctp.SmoothedRtt is { } s && sctp.MinRtt is { } m)
            {
                srtt.Add(s.TotalMicroseconds);
                minRtt.Add(m.TotalMicroseconds);
                cwnd.Add(sctp.CongestionWindow);
                flight.Add(sctp.FlightSize);
                queued.Add(Math.Min(sctp.CongestionWindow, sctp.FlightSize) * Math.Max(0, s.Ticks - m.Ticks) / (double)s.Ticks);
            }

            try
            {
                await Task.Delay(1, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        static double Median(List<double> values) => values.Count == 0 ? double.NaN : values.Order().ElementAt(values.Count / 2);
        return $"SRTT {Median(srtt):F0} µs, min RTT {Median(minRtt):F0} µs, cwnd {Median(cwnd) / 1024:F0} KiB, flight {Median(flight) / 1024:F0} KiB,"
            + $" queue estimate (SRTT-based) {Median(queued) / 1024:F0} KiB; {srtt.Count} samples";
    }
}
