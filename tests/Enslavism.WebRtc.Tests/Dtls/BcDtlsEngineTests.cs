using Enslavism.WebRtc.Dtls;

namespace Enslavism.WebRtc.Tests.Dtls;

public sealed class BcDtlsEngineTests
{
    [Fact]
    public void Handshake_OurClientAndServer_CompletesWithFingerprintsAndGcm()
    {
        using var pair = EnginePair.Create();
        pair.Handshake();

        Assert.Equal(DtlsEngineState.Connected, pair.Server.State);
        Assert.Equal(DtlsEngineState.Connected, pair.Client.State);
        var server = Assert.IsType<DtlsHandshakeCompleted>(Assert.Single(pair.ServerEvents));
        var client = Assert.IsType<DtlsHandshakeCompleted>(Assert.Single(pair.ClientEvents));
        Assert.Equal(DtlsTestSupport.ClientIdentity.Fingerprint, server.PeerFingerprint);
        Assert.Equal(DtlsTestSupport.ServerIdentity.Fingerprint, client.PeerFingerprint);
        Assert.Equal(0xC02B, server.CipherSuite);
        Assert.Equal(0xC02B, client.CipherSuite);
        Assert.True(server.ExtendedMasterSecret);
        Assert.Equal(1163, server.MaxApplicationDataSize);
        Assert.Equal(1163, pair.Client.MaxApplicationDataSize);
        Assert.All(pair.ServerToClient.Concat(pair.ClientToServer), d => Assert.InRange(d.Length, 13, 1200));

        // Every flight was produced on a worker, so the host must have been woken for each (at least 4 flights).
        Assert.True(pair.WakeUps >= 4, $"{pair.WakeUps} wake-ups");
    }

    [Fact]
    public void Send_BothDirections_DeliversExactRecords()
    {
        using var pair = EnginePair.Create();
        pair.Handshake();
        pair.ServerEvents.Clear();
        pair.ClientEvents.Clear();

        var random = new Random(7);
        var toServer = Enumerable.Range(0, 20).Select(i => RandomBytes(random, 1 + (i * 53))).ToList();
        var toClient = Enumerable.Range(0, 20).Select(i => RandomBytes(random, 1100 - i)).ToList();
        foreach (var message in toServer)
        {
            Assert.Equal(DtlsSendResult.Sent, pair.Client.Send(message));
        }

        foreach (var message in toClient)
        {
            Assert.Equal(DtlsSendResult.Sent, pair.Server.Send(message));
        }

        pair.Pump();

        Assert.Equal(toServer, pair.ServerEvents.Cast<DtlsApplicationData>().Select(e => e.Data.ToArray()));
        Assert.Equal(toClient, pair.ClientEvents.Cast<DtlsApplicationData>().Select(e => e.Data.ToArray()));
    }

    [Fact]
    public void Send_MaximumRecord_FitsMtuAndLargerIsRefused()
    {
        using var pair = EnginePair.Create();
        pair.Handshake();
        pair.ServerToClient.Clear();
        pair.ClientEvents.Clear();

        var max = new byte[pair.Server.MaxApplicationDataSize];
        new Random(3).NextBytes(max);
        Assert.Equal(DtlsSendResult.Sent, pair.Server.Send(max));
        Assert.Equal(DtlsSendResult.TooLarge, pair.Server.Send(new byte[max.Length + 1]));
        pair.Pump();

        Assert.Equal(1200, Assert.Single(pair.ServerToClient).Length);
        Assert.Equal(max, Assert.IsType<DtlsApplicationData>(Assert.Single(pair.ClientEvents)).Data.ToArray());
    }

    [Fact]
    public void Send_BeforeHandshake_IsNotConnected()
    {
        using var pair = EnginePair.Create();
        Assert.Equal(DtlsSendResult.NotConnected, pair.Client.Send([1, 2, 3]));
        Assert.Equal(0, pair.Client.MaxApplicationDataSize);
    }

    [Fact]
    public void Handshake_ServerSeesWrongClientFingerprint_FailsWithBadCertificate()
    {
        using var pair = EnginePair.Create(serverExpects: DtlsTestSupport.OtherIdentity.Fingerprint);
        pair.Handshake();

        Assert.Equal(DtlsEngineState.Failed, pair.Server.State);
        var failed = Assert.IsType<DtlsFailed>(Assert.Single(pair.ServerEvents));
        Assert.Equal(DtlsFailureReason.FingerprintMismatch, failed.Reason);
        Assert.Equal((byte)42, failed.AlertDescription);

        // The alert went out unencrypted (epoch 0: the client's Certificate precedes its ChangeCipherSpec).
        Assert.Contains(pair.ServerToClient, d => d[0] == 21 && d[^2] == 2 && d[^1] == 42);
        var clientFailed = Assert.IsType<DtlsFailed>(Assert.Single(pair.ClientEvents));
        Assert.Equal(DtlsFailureReason.PeerAlert, clientFailed.Reason);
        Assert.Equal((byte)42, clientFailed.AlertDescription);
        Assert.Equal(DtlsSendResult.NotConnected, pair.Server.Send([1]));
    }

    [Fact]
    public void Handshake_ClientSeesWrongServerFingerprint_FailsWithBadCertificate()
    {
        using var pair = EnginePair.Create(clientExpects: DtlsTestSupport.OtherIdentity.Fingerprint);
        pair.Handshake();

        Assert.Equal(DtlsEngineState.Failed, pair.Client.State);
        var failed = Assert.IsType<DtlsFailed>(Assert.Single(pair.ClientEvents));
        Assert.Equal(DtlsFailureReason.FingerprintMismatch, failed.Reason);
        Assert.Equal((byte)42, failed.AlertDescription);
        Assert.Equal(DtlsEngineState.Failed, pair.Server.State);
        Assert.Equal(DtlsFailureReason.PeerAlert, Assert.IsType<DtlsFailed>(Assert.Single(pair.ServerEvents)).Reason);
    }

    [Fact]
    public void Handshake_AnyOfSeveralFingerprintsMatches_Completes()
    {
        var server = new BcDtlsEngine(
            DtlsRole.Server, DtlsTestSupport.ServerIdentity,
            [DtlsTestSupport.OtherIdentity.Fingerprint, DtlsTestSupport.ClientIdentity.Fingerprint]);
        var client = new BcDtlsEngine(DtlsRole.Client, DtlsTestSupport.ClientIdentity, [DtlsTestSupport.ServerIdentity.Fingerprint]);
        using var pair = new EnginePair(server, client);
        pair.Handshake();

        Assert.Equal(DtlsEngineState.Connected, server.State);
        Assert.Equal(DtlsTestSupport.ClientIdentity.Fingerprint, Assert.IsType<DtlsHandshakeCompleted>(pair.ServerEvents[0]).PeerFingerprint);
    }

    [Fact]
    public void Handshake_ClientOffersUseSrtp_ServerEchoesOneProfile()
    {
        using var pair = EnginePair.Create();
        pair.Handshake();

        var server = Assert.IsType<DtlsHandshakeCompleted>(pair.ServerEvents[0]);
        var client = Assert.IsType<DtlsHandshakeCompleted>(pair.ClientEvents[0]);
        Assert.Equal(Org.BouncyCastle.Crypto.Tls.SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80, server.SrtpProtectionProfile);
        Assert.Equal(server.SrtpProtectionProfile, client.SrtpProtectionProfile);
    }

    [Fact]
    public void Handshake_ClientWithoutUseSrtp_ServerDoesNotAddIt()
    {
        using var pair = EnginePair.Create(clientOptions: new DtlsOptions { OfferUseSrtp = false });
        pair.Handshake();

        Assert.Null(Assert.IsType<DtlsHandshakeCompleted>(pair.ServerEvents[0]).SrtpProtectionProfile);
        Assert.Null(Assert.IsType<DtlsHandshakeCompleted>(pair.ClientEvents[0]).SrtpProtectionProfile);
    }

    [Fact]
    public void Handshake_ManagedGcmClientAndBclGcmServer_Interoperate()
    {
        using var pair = EnginePair.Create(clientOptions: new DtlsOptions { UseBclAesGcm = false });
        pair.Handshake();
        pair.ServerEvents.Clear();
        pair.ClientEvents.Clear();

        var payload = Enumerable.Range(0, 1100).Select(i => (byte)i).ToArray();
        Assert.Equal(DtlsSendResult.Sent, pair.Client.Send(payload));
        Assert.Equal(DtlsSendResult.Sent, pair.Server.Send(payload.AsSpan(0, 100)));
        pair.Pump();

        Assert.Equal(payload, Assert.IsType<DtlsApplicationData>(Assert.Single(pair.ServerEvents)).Data.ToArray());
        Assert.Equal(payload[..100], Assert.IsType<DtlsApplicationData>(Assert.Single(pair.ClientEvents)).Data.ToArray());
    }

    [Fact]
    public void Close_ByClient_SendsCloseNotifyAndServerReportsClosedByPeer()
    {
        using var pair = EnginePair.Create();
        pair.Handshake();
        pair.ServerEvents.Clear();
        pair.ClientEvents.Clear();

        pair.Client.Close();
        pair.Pump();

        Assert.Equal(DtlsEngineState.Closed, pair.Client.State);
        Assert.Equal(new DtlsClosed(ByPeer: false), Assert.Single(pair.ClientEvents));
        Assert.Equal(DtlsEngineState.Closed, pair.Server.State);
        Assert.Equal(new DtlsClosed(ByPeer: true), Assert.Single(pair.ServerEvents));
        Assert.Equal(DtlsSendResult.NotConnected, pair.Server.Send([1]));
    }

    [Fact]
    public async Task HandleTimeout_AfterDeadline_FailsHandshakeAndReleasesWorker()
    {
        // The client never gets the server's datagrams, so neither side can finish.
        using var pair = EnginePair.Create();
        pair.ServerToClientFilter = _ => null;
        pair.Server.Start(pair.Now);
        Assert.Equal(pair.Now + TimeSpan.FromSeconds(10), pair.Server.PollTimeout());
        var worker = Task.Factory.StartNew(() => pair.Server.RunHandshake(pair.Token), TaskCreationOptions.LongRunning);

        pair.Server.HandleTimeout(pair.Now + TimeSpan.FromSeconds(9));
        Assert.Equal(DtlsEngineState.Handshaking, pair.Server.State);
        pair.Server.HandleTimeout(pair.Now + TimeSpan.FromSeconds(10));

        await worker.WaitAsync(DtlsTestSupport.WaitLimit);
        Assert.Equal(DtlsEngineState.Failed, pair.Server.State);
        Assert.True(pair.Server.TryPollEvent(out var e));
        Assert.Equal(DtlsFailureReason.HandshakeTimeout, Assert.IsType<DtlsFailed>(e).Reason);
        Assert.False(pair.Server.TryPollEvent(out _));
        Assert.Null(pair.Server.PollTimeout());
    }

    [Fact]
    public async Task RunHandshake_HostCancels_ReportsCancelled()
    {
        using var pair = EnginePair.Create();
        using var cts = new CancellationTokenSource();
        pair.Server.Start(pair.Now);
        var worker = Task.Factory.StartNew(() => pair.Server.RunHandshake(cts.Token), TaskCreationOptions.LongRunning);
        cts.Cancel();

        await worker.WaitAsync(DtlsTestSupport.WaitLimit);
        Assert.True(pair.Server.TryPollEvent(out var e));
        Assert.Equal(DtlsFailureReason.Cancelled, Assert.IsType<DtlsFailed>(e).Reason);
    }

    [Fact]
    public async Task Close_DuringHandshake_StopsWorkerAndReportsClosed()
    {
        using var pair = EnginePair.Create();
        pair.Server.Start(pair.Now);
        var worker = Task.Factory.StartNew(() => pair.Server.RunHandshake(pair.Token), TaskCreationOptions.LongRunning);
        pair.Server.Close();

        await worker.WaitAsync(DtlsTestSupport.WaitLimit);
        Assert.Equal(DtlsEngineState.Closed, pair.Server.State);
        Assert.True(pair.Server.TryPollEvent(out var e));
        Assert.Equal(new DtlsClosed(ByPeer: false), e);
        Assert.False(pair.Server.TryPollEvent(out _));
        Assert.Null(pair.Server.PollTimeout());
    }

    [Fact]
    public void RunHandshake_WithoutStart_Throws()
    {
        using var pair = EnginePair.Create();
        Assert.Throws<InvalidOperationException>(() => pair.Server.RunHandshake(CancellationToken.None));
    }

    [Fact]
    public void Handshake_ServerFlightLostOnce_RecoversByRetransmission()
    {
        using var pair = EnginePair.Create();
        var dropped = 0;
        pair.ServerToClientFilter = d => dropped++ == 0 ? null : d;
        pair.Handshake();

        Assert.Equal(DtlsEngineState.Connected, pair.Server.State);
        Assert.Equal(DtlsEngineState.Connected, pair.Client.State);
    }

    [Fact]
    public void HandleInput_ApplicationDataQueuedDuringHandshakeEnd_IsDeliveredAfterwards()
    {
        // The client sends as soon as it is connected, possibly before the server's worker has handed over.
        using var pair = EnginePair.Create();
        pair.Handshake();
        pair.ServerEvents.Clear();
        Assert.Equal(DtlsSendResult.Sent, pair.Client.Send([9, 8, 7]));
        Assert.True(pair.Client.TryPollTransmit(out var record));
        pair.Server.HandleInput(pair.Now, record.Span);
        pair.Server.HandleInput(pair.Now, record.Span); // replay: discarded by BC's replay window

        pair.Pump();

        Assert.Equal([9, 8, 7], Assert.IsType<DtlsApplicationData>(Assert.Single(pair.ServerEvents)).Data.ToArray());
        Assert.Equal(DtlsEngineState.Connected, pair.Server.State);
    }

    [Fact]
    public void Handshake_SmallMtuBothSides_FragmentsFlightsAndReassembles()
    {
        var small = new DtlsOptions { Mtu = 300 };
        using var pair = EnginePair.Create(serverOptions: small, clientOptions: small);
        pair.Handshake();

        Assert.Equal(DtlsEngineState.Connected, pair.Server.State);
        Assert.Equal(DtlsEngineState.Connected, pair.Client.State);
        Assert.All(pair.ServerToClient.Concat(pair.ClientToServer), d => Assert.InRange(d.Length, 13, 300));
        Assert.Equal(300 - 13 - 8 - 16, pair.Server.MaxApplicationDataSize);
    }

    [Fact]
    public void Handshake_ServerFinalFlightLost_ServerResendsItFromItsRecordLayer()
    {
        // Drop the server's ChangeCipherSpec and epoch-1 Finished once. The server is already Connected, so the
        // client's retransmitted flight reaches our record layer, which must resend the captured flight.
        using var pair = EnginePair.Create();
        var dropped = 0;
        pair.ServerToClientFilter = d =>
        {
            var finalFlight = d[0] == 20 || (d[0] == 22 && d[3] == 0 && d[4] == 1);
            return finalFlight && dropped++ < 2 ? null : d;
        };
        pair.Handshake();

        Assert.True(dropped >= 4, $"final flight seen {dropped} times; expected the dropped pair plus a resend");
        Assert.Equal(1, ((BcDtlsEngine)pair.Server).FinalFlightResends); // several late records, one resend
        Assert.Equal(DtlsEngineState.Connected, pair.Server.State);
        Assert.Equal(DtlsEngineState.Connected, pair.Client.State);
        pair.ServerEvents.Clear();
        Assert.Equal(DtlsSendResult.Sent, pair.Client.Send([4]));
        pair.Pump();
        Assert.Equal([4], Assert.IsType<DtlsApplicationData>(Assert.Single(pair.ServerEvents)).Data.ToArray());
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
