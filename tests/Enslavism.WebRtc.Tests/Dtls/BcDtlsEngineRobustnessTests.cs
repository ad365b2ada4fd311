using Enslavism.WebRtc.Dtls;

namespace Enslavism.WebRtc.Tests.Dtls;

/// <summary>Hostile and damaged datagrams into live engines: nothing may throw; the session ignores or fails.</summary>
public sealed class BcDtlsEngineRobustnessTests
{
    [Fact]
    public void HandleInput_RandomGarbageIntoConnectedServer_IsDroppedAndSessionSurvives()
    {
        using var pair = EnginePair.Create();
        pair.Handshake();
        var server = (BcDtlsEngine)pair.Server;
        var random = new Random(2024);

        for (var i = 0; i < 2000; i++)
        {
            var garbage = new byte[random.Next(0, 1500)];
            random.NextBytes(garbage);
            if (garbage.Length > 0 && i % 2 == 0)
            {
                garbage[0] = 0x17; // looks like application_data; the version check still rejects almost all
            }

            server.HandleInput(pair.Now, garbage);
        }

        Assert.True(server.MalformedDatagrams > 1900);
        pair.ServerEvents.Clear();
        Assert.Equal(DtlsSendResult.Sent, pair.Client.Send([5, 6]));
        pair.Pump();
        Assert.Equal(DtlsEngineState.Connected, server.State);
        Assert.Equal([5, 6], Assert.IsType<DtlsApplicationData>(Assert.Single(pair.ServerEvents)).Data.ToArray());
    }

    [Fact]
    public void HandleInput_WellFramedRecordsWithWrongEpochOrReplayedSequence_AreIgnored()
    {
        using var pair = EnginePair.Create();
        pair.Handshake();
        pair.ServerEvents.Clear();
        Assert.Equal(DtlsSendResult.Sent, pair.Client.Send([1]));
        Assert.True(pair.Client.TryPollTransmit(out var record));
        var bytes = record.ToArray();

        pair.Server.HandleInput(pair.Now, bytes);
        pair.Server.HandleInput(pair.Now, bytes); // replay
        var otherEpoch = (byte[])bytes.Clone();
        otherEpoch[4] = 7; // epoch 7 is unknown: discarded before decryption
        pair.Server.HandleInput(pair.Now, otherEpoch);
        pair.Pump();

        Assert.Equal(DtlsEngineState.Connected, pair.Server.State);
        Assert.Single(pair.ServerEvents);
        Assert.Equal(1, ((BcDtlsEngine)pair.Server).ReplayedRecords);
        Assert.Equal(1, ((BcDtlsEngine)pair.Server).FilteredRecords);
    }

    [Fact]
    public void HandleInput_ManyReplaysAndStaleHandshakeRecords_AreCountedAndResendIsRateLimited()
    {
        using var pair = EnginePair.Create();
        pair.Handshake();
        var server = (BcDtlsEngine)pair.Server;
        var lateBefore = server.LateHandshakeRecords; // the client's Finished, handled after BC handed over
        Assert.Equal(DtlsSendResult.Sent, pair.Client.Send([1]));
        Assert.True(pair.Client.TryPollTransmit(out var record));
        server.HandleInput(pair.Now, record.Span);
        var clientHello = pair.ClientToServer[0];
        var secondFlight = pair.ClientToServer.First(d => d[0] == 22 && d[2] == 0xFD && d[4] == 0);
        Assert.True(DtlsRecordScanner.TryScan(secondFlight, out var summary, out _));
        for (var i = 0; i < 1000; i++)
        {
            server.HandleInput(pair.Now, record.Span);
            server.HandleInput(pair.Now, clientHello);
            server.HandleInput(pair.Now, secondFlight);
        }

        Assert.Equal(1000, server.ReplayedRecords);
        Assert.Equal(lateBefore + 1000 + (1000 * summary.RecordCount), server.LateHandshakeRecords);
        Assert.Equal(1, server.FinalFlightResends); // virtual time stood still: one resend per interval
        Assert.Equal(0, server.AuthenticationFailures);
        Assert.Equal(DtlsEngineState.Connected, server.State);
    }

    [Fact]
    public void HandleInput_MutatedCiphertext_IsDiscardedCountedAndSessionCarriesOn()
    {
        // RFC 6347 §4.1.2.7: invalid records are discarded silently; BC alone would fail with bad_record_mac.
        using var pair = EnginePair.Create();
        pair.Handshake();
        var server = (BcDtlsEngine)pair.Server;
        pair.ServerEvents.Clear();
        Assert.Equal(DtlsSendResult.Sent, pair.Client.Send(new byte[100]));
        Assert.True(pair.Client.TryPollTransmit(out var record));
        var mutated = record.ToArray();
        mutated[^5] ^= 0x40;

        server.HandleInput(pair.Now, mutated);
        pair.Pump();

        Assert.Equal(DtlsEngineState.Connected, server.State);
        Assert.Empty(pair.ServerEvents);
        Assert.Equal(1, server.AuthenticationFailures);
        server.HandleInput(pair.Now, record.Span); // the genuine record with the same sequence number still counts
        pair.Pump();
        Assert.Equal(new byte[100], Assert.IsType<DtlsApplicationData>(Assert.Single(pair.ServerEvents)).Data.ToArray());
    }

    [Fact]
    public void HandleInput_MutatedRecordsIntoConnectedSession_NeverThrow()
    {
        var random = new Random(77);
        for (var round = 0; round < 6; round++)
        {
            using var pair = EnginePair.Create();
            pair.Handshake();
            for (var i = 0; i < 50 && pair.Server.State == DtlsEngineState.Connected; i++)
            {
                Assert.Equal(DtlsSendResult.Sent, pair.Client.Send(new byte[random.Next(0, 1000)]));
                Assert.True(pair.Client.TryPollTransmit(out var record));
                var mutated = record.ToArray();
                for (var flips = random.Next(0, 3); flips > 0; flips--)
                {
                    mutated[random.Next(mutated.Length)] ^= (byte)random.Next(1, 256);
                }

                pair.Server.HandleInput(pair.Now, mutated.AsSpan(0, random.Next(mutated.Length / 2, mutated.Length + 1)));
                while (pair.Server.TryPollEvent(out var e))
                {
                    Assert.IsType<DtlsApplicationData>(e);
                }
            }

            // A damaged record can never authenticate as an alert (the type is in the AAD), so nothing ends the session.
            Assert.Equal(DtlsEngineState.Connected, pair.Server.State);
        }
    }

    [Fact]
    public async Task HandleInput_MutatedHandshakeDatagramsIntoFreshServer_EndInFailureOrIgnore()
    {
        // Capture a genuine client flight once, then feed damaged copies to fresh servers.
        List<byte[]> flight;
        using (var reference = EnginePair.Create())
        {
            reference.Handshake();
            flight = reference.ClientToServer;
        }

        var random = new Random(4242);
        for (var round = 0; round < 8; round++)
        {
            using var server = new BcDtlsEngine(
                DtlsRole.Server, DtlsTestSupport.ServerIdentity, [DtlsTestSupport.ClientIdentity.Fingerprint],
                random: DtlsTestSupport.SeededRandom(round));
            var now = TimeSpan.FromSeconds(1);
            server.Start(now);
            var worker = Task.Factory.StartNew(() => server.RunHandshake(CancellationToken.None), TaskCreationOptions.LongRunning);
            foreach (var original in flight)
            {
                var mutated = (byte[])original.Clone();
                for (var flips = random.Next(1, 6); flips > 0; flips--)
                {
                    mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
                }

                server.HandleInput(now, mutated);
            }

            // Whatever BC made of it, the deadline ends the handshake and the worker returns.
            server.HandleTimeout(now + TimeSpan.FromSeconds(10));
            await worker.WaitAsync(DtlsTestSupport.WaitLimit);
            Assert.Equal(DtlsEngineState.Failed, server.State);
            Assert.True(server.TryPollEvent(out var e));
            Assert.IsType<DtlsFailed>(e);
            while (server.TryPollTransmit(out var datagram))
            {
                Assert.InRange(datagram.Length, 1, 1200);
            }
        }
    }

    [Fact]
    public void HandleInput_QueueFull_DropsAndCounts()
    {
        var server = new BcDtlsEngine(
            DtlsRole.Server, DtlsTestSupport.ServerIdentity, [DtlsTestSupport.ClientIdentity.Fingerprint],
            new DtlsOptions { MaxQueuedInboundDatagrams = 4 });
        server.Start(TimeSpan.Zero);
        var record = DtlsRecordScannerTests.Record(DtlsContentType.Handshake, 0, [1, 0, 0, 0]);
        for (var i = 0; i < 10; i++)
        {
            server.HandleInput(TimeSpan.Zero, record);
        }

        Assert.Equal(6, server.DroppedDatagrams);
        server.HandleInput(TimeSpan.Zero, new byte[3000]);
        Assert.Equal(1, server.MalformedDatagrams);
        server.Dispose();
    }
}
