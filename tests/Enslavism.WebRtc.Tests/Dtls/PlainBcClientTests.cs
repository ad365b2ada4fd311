using System.Collections;
using System.Collections.Concurrent;
using Enslavism.WebRtc.Dtls;
using Org.BouncyCastle.Crypto.Tls;

namespace Enslavism.WebRtc.Tests.Dtls;

/// <summary>
/// Our server engine against a plain BouncyCastle DTLS client that uses none of our peer classes and BC's default
/// (managed) cipher factory — the browser stand-in of webrtc-stack.md V3.
/// </summary>
public sealed class PlainBcClientTests
{
    [Fact]
    public void Handshake_PlainBcClient_NegotiatesGcmEmsAndEchoesUseSrtp()
    {
        using var run = new PlainClientRun(new PlainClient(DtlsTestSupport.ClientIdentity, offerSrtp: true));
        run.Connect();

        var completed = Assert.IsType<DtlsHandshakeCompleted>(Assert.Single(run.ServerEvents));
        Assert.Equal(DtlsTestSupport.ClientIdentity.Fingerprint, completed.PeerFingerprint);
        Assert.Equal(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, completed.CipherSuite);
        Assert.True(completed.ExtendedMasterSecret);
        Assert.Equal(SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80, completed.SrtpProtectionProfile);
        Assert.Equal([SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80], run.Client.EchoedSrtp!.ProtectionProfiles);
        Assert.True(run.Client.ServerCertificateRequested);
        Assert.Contains(ClientCertificateType.ecdsa_sign, run.Client.RequestedCertificateTypes!);
    }

    [Fact]
    public void Records_PlainBcClient_RoundTripLargeAndSmall()
    {
        using var run = new PlainClientRun(new PlainClient(DtlsTestSupport.ClientIdentity, offerSrtp: false));
        run.Connect();
        run.ServerEvents.Clear();

        var large = Enumerable.Range(0, 1100).Select(i => (byte)(i * 7)).ToArray();
        run.ClientTransport!.Send(large, 0, large.Length);
        run.ClientTransport.Send([42], 0, 1);
        run.Pump();
        Assert.Equal(
            [large, [42]],
            run.ServerEvents.Cast<DtlsApplicationData>().Select(e => e.Data.ToArray()).ToArray());

        Assert.Equal(DtlsSendResult.Sent, run.Server.Send(large));
        run.Pump();
        var buffer = new byte[2048];
        var received = run.ClientTransport.Receive(buffer, 0, buffer.Length, 1000);
        Assert.Equal(large, buffer[..received]);
    }

    [Fact]
    public void Handshake_ClientWithoutCertificate_FailsWithHandshakeFailure()
    {
        using var run = new PlainClientRun(new PlainClient(identity: null, offerSrtp: true));
        run.Connect();

        var failed = Assert.IsType<DtlsFailed>(Assert.Single(run.ServerEvents));
        Assert.Equal(DtlsFailureReason.MissingPeerCertificate, failed.Reason);
        Assert.Equal(AlertDescription.handshake_failure, failed.AlertDescription);
        Assert.IsType<TlsFatalAlert>(run.ClientError);
    }

    [Fact]
    public void Handshake_ClientCertificateNotInOffer_FailsWithBadCertificate()
    {
        using var run = new PlainClientRun(new PlainClient(DtlsTestSupport.OtherIdentity, offerSrtp: true));
        run.Connect();

        var failed = Assert.IsType<DtlsFailed>(Assert.Single(run.ServerEvents));
        Assert.Equal(DtlsFailureReason.FingerprintMismatch, failed.Reason);
        Assert.Equal(AlertDescription.bad_certificate, failed.AlertDescription);
        Assert.Equal(AlertDescription.bad_certificate, run.Client.AlertReceived);
    }

    [Theory]
    [InlineData(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)]
    [InlineData(CipherSuite.DRAFT_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256)]
    [InlineData(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384)]
    public void Records_EachAeadSuite_BouncyCastleRecordsOpenWithOursAndViceVersa(int suite)
    {
        // The client seals and opens with BC's own record layer; our engine must interoperate both ways, across
        // several records so sequence numbers and nonces advance on both sides.
        using var run = new PlainClientRun(new PlainClient(DtlsTestSupport.ClientIdentity, offerSrtp: false, suites: [suite]));
        run.Connect();

        Assert.Equal(suite, Assert.IsType<DtlsHandshakeCompleted>(Assert.Single(run.ServerEvents)).CipherSuite);
        run.ServerEvents.Clear();
        var buffer = new byte[2048];
        for (var i = 1; i <= 5; i++)
        {
            var payload = Enumerable.Range(0, i * 200).Select(b => (byte)(b + i)).ToArray();
            run.ClientTransport!.Send(payload, 0, payload.Length);
            run.Pump();
            Assert.Equal(payload, Assert.IsType<DtlsApplicationData>(Assert.Single(run.ServerEvents)).Data.ToArray());
            run.ServerEvents.Clear();

            Assert.Equal(DtlsSendResult.Sent, run.Server.Send(payload));
            run.Pump();
            var received = run.ClientTransport.Receive(buffer, 0, buffer.Length, 1000);
            Assert.Equal(payload, buffer[..received]);
        }

        Assert.Equal(0, run.Server.AuthenticationFailures);
    }

    [Fact]
    public void Handshake_ClientOffersOnlyCbc_IsRefusedSoEverySessionRunsOnOurRecordLayer()
    {
        using var run = new PlainClientRun(new PlainClient(
            DtlsTestSupport.ClientIdentity, offerSrtp: false, suites: [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA]));
        run.Connect(waitForClient: false);

        var failed = Assert.IsType<DtlsFailed>(Assert.Single(run.ServerEvents));
        Assert.Equal(AlertDescription.handshake_failure, failed.AlertDescription);
        Assert.Null(run.ClientTransport);
    }

    [Fact]
    public void Handshake_ChromeSizedClientHello_IsFragmentedAndReassembled()
    {
        // Chrome 156 sends a ~1.4 KB ClientHello (post-quantum key share) split over two datagrams (V13).
        using var run = new PlainClientRun(new PlainClient(DtlsTestSupport.ClientIdentity, offerSrtp: true, paddingBytes: 1250));
        run.Connect();

        Assert.IsType<DtlsHandshakeCompleted>(Assert.Single(run.ServerEvents));
        Assert.True(run.ClientDatagrams.Count(d => DtlsRecordScanner.TryScan(d, out var s, out _) && s.ContainsClientHello) >= 2);
        Assert.All(run.ClientDatagrams, d => Assert.InRange(d.Length, 13, 1200));
    }

    [Fact]
    public void Handshake_Dtls10OnlyClient_IsRefusedWithProtocolVersion()
    {
        // RFC 8996 deprecates DTLS 1.0 and RFC 8827 requires 1.2; every WebRTC peer speaks 1.2.
        using var run = new PlainClientRun(new PlainClient(
            DtlsTestSupport.ClientIdentity, offerSrtp: false,
            suites: [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA], version: ProtocolVersion.DTLSv10));
        run.Connect(waitForClient: false);

        var failed = Assert.IsType<DtlsFailed>(Assert.Single(run.ServerEvents));
        Assert.Equal(DtlsFailureReason.LocalAlert, failed.Reason);
        Assert.Equal(AlertDescription.protocol_version, failed.AlertDescription);
        Assert.Null(run.ClientTransport);
    }

    /// <summary>A BC client that does everything itself, like a foreign stack would.</summary>
    internal sealed class PlainClient(
        DtlsIdentity? identity, bool offerSrtp, int[]? suites = null, int paddingBytes = 0, ProtocolVersion? version = null,
        TlsCipherFactory? cipherFactory = null)
        : DefaultTlsClient(cipherFactory ?? new DefaultTlsCipherFactory())
    {
        public DtlsIdentity? Identity { get; } = identity;

        public UseSrtpData? EchoedSrtp { get; private set; }

        public bool ServerCertificateRequested { get; private set; }

        public byte[]? RequestedCertificateTypes { get; private set; }

        public byte? AlertReceived { get; private set; }

        public override ProtocolVersion ClientVersion => version ?? ProtocolVersion.DTLSv12;

        public override ProtocolVersion MinimumVersion => version ?? ProtocolVersion.DTLSv12;

        public override int[] GetCipherSuites() => suites ?? [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256];

        public override IDictionary GetClientExtensions()
        {
            var extensions = TlsExtensionsUtilities.EnsureExtensionsInitialised(base.GetClientExtensions());
            if (offerSrtp)
            {
                TlsSRTPUtils.AddUseSrtpExtension(extensions, new UseSrtpData(
                    [SrtpProtectionProfile.SRTP_AEAD_AES_256_GCM, SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80], []));
            }

            if (paddingBytes > 0)
            {
                TlsExtensionsUtilities.AddPaddingExtension(extensions, paddingBytes);
            }

            return extensions;
        }

        public override void ProcessServerExtensions(IDictionary serverExtensions)
        {
            base.ProcessServerExtensions(serverExtensions);
            EchoedSrtp = serverExtensions is null ? null : TlsSRTPUtils.GetUseSrtpExtension(serverExtensions);
        }

        public override void NotifyAlertReceived(byte alertLevel, byte alertDescription) => AlertReceived = alertDescription;

        public override TlsAuthentication GetAuthentication() => new Auth(this);

        private sealed class Auth(PlainClient owner) : TlsAuthentication
        {
            public void NotifyServerCertificate(Certificate serverCertificate)
            {
                // Fingerprint checks of the server side are covered by the engine-pair tests.
            }

            public TlsCredentials? GetClientCredentials(Org.BouncyCastle.Crypto.Tls.CertificateRequest certificateRequest)
            {
                owner.ServerCertificateRequested = true;
                owner.RequestedCertificateTypes = certificateRequest.CertificateTypes;
                if (owner.Identity is not { } id)
                {
                    return null;
                }

                return new DefaultTlsSignerCredentials(
                    owner.mContext, id.Chain, id.PrivateKey,
                    new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
            }
        }
    }

    /// <summary>Server engine on the test thread, plain BC client on a worker task, datagrams shuttled in memory.</summary>
    internal sealed class PlainClientRun : IDisposable
    {
        private readonly ConcurrentQueue<byte[]> _fromClient = new();
        private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
        private readonly CancellationTokenSource _cts = new(DtlsTestSupport.WaitLimit);
        private readonly QueueDatagramTransport _clientRaw;
        private Task? _serverWorker;
        private readonly TimeSpan _now = TimeSpan.FromSeconds(5);

        public PlainClientRun(PlainClient client)
        {
            Client = client;
            Server = new BcDtlsEngine(
                DtlsRole.Server, DtlsTestSupport.ServerIdentity, [DtlsTestSupport.ClientIdentity.Fingerprint],
                random: DtlsTestSupport.SeededRandom(11));
            Server.OutputAvailable = () => _wake.Release();
            _clientRaw = new QueueDatagramTransport(2048, 1200, 64, (buf, off, len) =>
            {
                _fromClient.Enqueue(buf.AsSpan(off, len).ToArray());
                _wake.Release();
            });
            _clientRaw.SetCancellation(_cts.Token);
        }

        public PlainClient Client { get; }

        public BcDtlsEngine Server { get; }

        public DtlsTransport? ClientTransport { get; private set; }

        public Exception? ClientError { get; private set; }

        public List<DtlsEvent> ServerEvents { get; } = [];

        public List<byte[]> ClientDatagrams { get; } = [];

        /// <param name="waitForClient">False when the server refuses before the client can learn it (no alert is
        /// possible before a valid ClientHello), so only the server outcome is awaited.</param>
        public void Connect(bool waitForClient = true)
        {
            Server.Start(_now);
            _serverWorker = Task.Factory.StartNew(() => Server.RunHandshake(_cts.Token), TaskCreationOptions.LongRunning);
            var clientWorker = Task.Factory.StartNew(
                () =>
                {
                    try
                    {
                        ClientTransport = new DtlsClientProtocol(DtlsTestSupport.SeededRandom(12)).Connect(Client, _clientRaw);
                    }
                    catch (Exception ex)
                    {
                        ClientError = ex;
                    }
                    finally
                    {
                        _wake.Release();
                    }
                },
                TaskCreationOptions.LongRunning);

            while (!((clientWorker.IsCompleted || !waitForClient) && _serverWorker.IsCompleted && Server.State != DtlsEngineState.Handshaking))
            {
                if (!Pump() && !_wake.Wait(TimeSpan.FromMilliseconds(200), _cts.Token) && _cts.IsCancellationRequested)
                {
                    throw new TimeoutException("Plain BC client run made no progress.");
                }
            }

            Pump();
        }

        public bool Pump()
        {
            var moved = false;
            while (_fromClient.TryDequeue(out var datagram))
            {
                moved = true;
                ClientDatagrams.Add(datagram);
                Server.HandleInput(_now, datagram);
            }

            while (Server.TryPollTransmit(out var datagram))
            {
                moved = true;
                _clientRaw.TryEnqueue(datagram.Span);
            }

            while (Server.TryPollEvent(out var e))
            {
                moved = true;
                ServerEvents.Add(e);
            }

            return moved;
        }

        public void Dispose()
        {
            _cts.Cancel();
            Server.Dispose();
            _clientRaw.Close();
            _serverWorker?.Wait(DtlsTestSupport.WaitLimit);
            _cts.Dispose();
            _wake.Dispose();
        }
    }
}
