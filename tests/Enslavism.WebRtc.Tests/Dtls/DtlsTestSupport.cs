using Enslavism.WebRtc.Dtls;
using Org.BouncyCastle.Crypto.Prng;
using Org.BouncyCastle.Security;

namespace Enslavism.WebRtc.Tests.Dtls;

/// <summary>Identities shared by the DTLS tests (key generation is the slow part) and seeded randomness.</summary>
internal static class DtlsTestSupport
{
    public static readonly DateTimeOffset CertificateTime = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static DtlsIdentity ServerIdentity { get; } = DtlsIdentity.CreateSelfSigned(CertificateTime);

    public static DtlsIdentity ClientIdentity { get; } = DtlsIdentity.CreateSelfSigned(CertificateTime);

    public static DtlsIdentity OtherIdentity { get; } = DtlsIdentity.CreateSelfSigned(CertificateTime);

    /// <summary>Bounds every test that has to wait for a BC handshake thread.</summary>
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(20);

    public static SecureRandom SeededRandom(long seed)
    {
        var generator = new DigestRandomGenerator(new Org.BouncyCastle.Crypto.Digests.Sha256Digest());
        generator.AddSeedMaterial(seed);
        return new SecureRandom(generator);
    }
}

/// <summary>
/// Two engines wired back to back in memory. The BC handshakes run on two worker tasks (BC's handshake blocks);
/// the test thread plays the event loop: it shuttles datagrams and collects events, waking on OutputAvailable.
/// Virtual time stays at <see cref="Now"/> so no deadline fires unless a test moves it.
/// </summary>
internal sealed class EnginePair : IDisposable
{
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly CancellationTokenSource _cts = new(DtlsTestSupport.WaitLimit);
    private Task? _serverWorker;
    private Task? _clientWorker;
    private int _wakeUps;

    public EnginePair(IDtlsEngine server, IDtlsEngine client)
    {
        Server = server;
        Client = client;
        server.OutputAvailable = () =>
        {
            Interlocked.Increment(ref _wakeUps);
            _wake.Release();
        };
        client.OutputAvailable = () =>
        {
            Interlocked.Increment(ref _wakeUps);
            _wake.Release();
        };
    }

    public IDtlsEngine Server { get; }

    public IDtlsEngine Client { get; }

    /// <summary>How often the engines signalled output from their handshake workers.</summary>
    public int WakeUps => Volatile.Read(ref _wakeUps);

    public TimeSpan Now { get; set; } = TimeSpan.FromSeconds(100);

    public List<DtlsEvent> ServerEvents { get; } = [];

    public List<DtlsEvent> ClientEvents { get; } = [];

    public List<byte[]> ServerToClient { get; } = [];

    public List<byte[]> ClientToServer { get; } = [];

    /// <summary>Optional tamper hook on datagrams going client → server; return null to drop.</summary>
    public Func<byte[], byte[]?>? ClientToServerFilter { get; set; }

    public Func<byte[], byte[]?>? ServerToClientFilter { get; set; }

    public CancellationToken Token => _cts.Token;

    public static EnginePair Create(
        DtlsOptions? serverOptions = null,
        DtlsOptions? clientOptions = null,
        DtlsFingerprint? serverExpects = null,
        DtlsFingerprint? clientExpects = null)
    {
        var server = new BcDtlsEngine(
            DtlsRole.Server, DtlsTestSupport.ServerIdentity,
            [serverExpects ?? DtlsTestSupport.ClientIdentity.Fingerprint], serverOptions, DtlsTestSupport.SeededRandom(1));
        var client = new BcDtlsEngine(
            DtlsRole.Client, DtlsTestSupport.ClientIdentity,
            [clientExpects ?? DtlsTestSupport.ServerIdentity.Fingerprint], clientOptions, DtlsTestSupport.SeededRandom(2));
        return new EnginePair(server, client);
    }

    /// <summary>Starts both handshakes and runs the loop until both sides left the handshake.</summary>
    public void Handshake()
    {
        Server.Start(Now);
        Client.Start(Now);
        _serverWorker = Task.Factory.StartNew(() => Server.RunHandshake(_cts.Token), TaskCreationOptions.LongRunning);
        _clientWorker = Task.Factory.StartNew(() => Client.RunHandshake(_cts.Token), TaskCreationOptions.LongRunning);
        RunUntil(() => Server.State != DtlsEngineState.Handshaking && Client.State != DtlsEngineState.Handshaking
            && _serverWorker.IsCompleted && _clientWorker.IsCompleted);
    }

    /// <summary>One event-loop pass: move all pending datagrams both ways and collect events. True if anything moved.</summary>
    public bool Pump()
    {
        var moved = false;
        while (Server.TryPollTransmit(out var datagram))
        {
            moved = true;
            var bytes = datagram.ToArray();
            ServerToClient.Add(bytes);
            var delivered = ServerToClientFilter is null ? bytes : ServerToClientFilter(bytes);
            if (delivered is not null)
            {
                Client.HandleInput(Now, delivered);
            }
        }

        while (Client.TryPollTransmit(out var datagram))
        {
            moved = true;
            var bytes = datagram.ToArray();
            ClientToServer.Add(bytes);
            var delivered = ClientToServerFilter is null ? bytes : ClientToServerFilter(bytes);
            if (delivered is not null)
            {
                Server.HandleInput(Now, delivered);
            }
        }

        while (Server.TryPollEvent(out var e))
        {
            moved = true;
            ServerEvents.Add(e);
        }

        while (Client.TryPollEvent(out var e))
        {
            moved = true;
            ClientEvents.Add(e);
        }

        return moved;
    }

    public void RunUntil(Func<bool> condition)
    {
        while (true)
        {
            var moved = Pump();
            if (condition())
            {
                Pump();
                return;
            }

            if (!moved)
            {
                // Not a sleep: blocks until a worker signals output, bounded so a silent hang fails the test.
                if (!_wake.Wait(TimeSpan.FromMilliseconds(200), _cts.Token) && _cts.IsCancellationRequested)
                {
                    throw new TimeoutException("DTLS test pair made no progress.");
                }
            }
        }
    }

    public void Dispose()
    {
        _cts.Cancel();
        Server.Dispose();
        Client.Dispose();
        try
        {
            Task.WaitAll([.. new[] { _serverWorker, _clientWorker }.OfType<Task>()], DtlsTestSupport.WaitLimit);
        }
        catch (AggregateException)
        {
            // Workers report through events; a crash here is surfaced by the test's own assertions.
        }

        _cts.Dispose();
        _wake.Dispose();
    }
}
