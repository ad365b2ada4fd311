using System.Diagnostics;
using System.Globalization;
using Enslavism.WebRtc.Dtls;

// Usage:
//   WebRtcBench [records]                                   DTLS record-layer throughput (default 100000 records)
//   WebRtcBench dtls-udp server|client <peer-sha256-hex> [localPort] [remotePort] [seconds]
//                                                           manual interop against e.g. openssl s_client/s_server
//   WebRtcBench session-udp [megabytes] [smallMessages] [roundTrips] [--warmup] [--plain] [--alloc-types]
//                                                           .NET↔.NET WebRtcEndpoints over loopback UDP; per phase:
//                                                           CPU, allocations/message, GCs, CPU per thread, datagrams
//                                                           per message. --warmup: unreported warm-up pass first;
//                                                           --plain: test FakeDtlsEngine (no DTLS crypto);
//                                                           --alloc-types: sampled allocation types.
//                                                           ENSLAVISM_RECEIVE_BATCH=N sets ReceiveBatchPackets,
//                                                           ENSLAVISM_MAX_QUEUED_BYTES=N SctpOptions.MaxQueuedBytes.
//                                                           Also prints the sender's SCTP counters, kernel UDP drops
//                                                           and sampled SRTT / min RTT / cwnd per phase.
if (args.Length > 0 && args[0] == "session-udp")
{
    return await SessionUdpBench.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "dtls-udp")
{
    return DtlsUdpPeer.Run(args[1..]);
}

// DTLS record-layer throughput after an in-memory handshake: one thread encrypts on the client engine and decrypts
// on the server engine. Records run on our own record layer (BCL AesGcm) either way; the BC-managed / BCL switch now
// only changes the cipher BC uses for the handshake's Finished records, so both rows measure the same path.
var records = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var now = DateTimeOffset.UtcNow;
var serverId = DtlsIdentity.CreateSelfSigned(now);
var clientId = DtlsIdentity.CreateSelfSigned(now);

Console.WriteLine($"DTLS record layer, {records} records per run, single thread (encrypt + decrypt)");
foreach (var useBcl in new[] { false, true })
{
    foreach (var size in new[] { 100, 1100 })
    {
        var (server, client) = Connect(serverId, clientId, useBcl);
        var payload = new byte[size];
        Random.Shared.NextBytes(payload);
        Run(server, client, payload, records / 10); // warm-up
        // CPU time as well as wall time: on a shared, loaded machine the CPU-based rate is the comparable number.
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        Run(server, client, payload, records);
        stopwatch.Stop();
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        var seconds = stopwatch.Elapsed.TotalSeconds;
        Console.WriteLine(
            $"{(useBcl ? "BCL AesGcm " : "BC managed "),-12} {size,5} B: wall {records / seconds,9:N0} rec/s {records * (double)size / seconds / 1e6,7:N1} MB/s"
            + $" | cpu {records / cpu,9:N0} rec/s {records * (double)size / cpu / 1e6,7:N1} MB/s");
        server.Dispose();
        client.Dispose();
    }
}

return 0;

static void Run(BcDtlsEngine server, BcDtlsEngine client, byte[] payload, int count)
{
    for (var i = 0; i < count; i++)
    {
        if (client.Send(payload) != DtlsSendResult.Sent || !client.TryPollTransmit(out var datagram))
        {
            throw new InvalidOperationException("send failed");
        }

        server.HandleInput(TimeSpan.Zero, datagram.Span);
        if (!server.TryPollEvent(out var e) || e is not DtlsApplicationData data || data.Data.Length != payload.Length)
        {
            throw new InvalidOperationException("receive failed: " + e);
        }
    }
}

static (BcDtlsEngine Server, BcDtlsEngine Client) Connect(DtlsIdentity serverId, DtlsIdentity clientId, bool useBcl)
{
    var options = new DtlsOptions { UseBclAesGcm = useBcl };
    var server = new BcDtlsEngine(DtlsRole.Server, serverId, [clientId.Fingerprint], options);
    var client = new BcDtlsEngine(DtlsRole.Client, clientId, [serverId.Fingerprint], options);
    using var wake = new SemaphoreSlim(0);
    server.OutputAvailable = () => wake.Release();
    client.OutputAvailable = () => wake.Release();
    server.Start(TimeSpan.Zero);
    client.Start(TimeSpan.Zero);
    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
    var workers = new[]
    {
        Task.Factory.StartNew(() => server.RunHandshake(cts.Token), TaskCreationOptions.LongRunning),
        Task.Factory.StartNew(() => client.RunHandshake(cts.Token), TaskCreationOptions.LongRunning),
    };
    while (!(Task.WhenAll(workers).IsCompleted && server.State != DtlsEngineState.Handshaking && client.State != DtlsEngineState.Handshaking))
    {
        var moved = false;
        while (server.TryPollTransmit(out var d))
        {
            moved = true;
            client.HandleInput(TimeSpan.Zero, d.Span);
        }

        while (client.TryPollTransmit(out var d))
        {
            moved = true;
            server.HandleInput(TimeSpan.Zero, d.Span);
        }

        if (!moved)
        {
            wake.Wait(100, cts.Token);
        }
    }

    if (!server.TryPollEvent(out var s) || s is not DtlsHandshakeCompleted || !client.TryPollEvent(out var c) || c is not DtlsHandshakeCompleted)
    {
        throw new InvalidOperationException("handshake failed");
    }

    return (server, client);
}
