using Enslavism.WebRtc.Dtls;

namespace Enslavism.WebRtc.Tests.Dtls;

public sealed class FakeDtlsEngineTests
{
    private static readonly DtlsFingerprint ServerFp = DtlsFingerprint.FromSha256(Enumerable.Repeat((byte)1, 32).ToArray());
    private static readonly DtlsFingerprint ClientFp = DtlsFingerprint.FromSha256(Enumerable.Repeat((byte)2, 32).ToArray());

    [Fact]
    public void Handshake_ThenData_FlowsBothWaysInPlaintext()
    {
        var server = new FakeDtlsEngine(DtlsRole.Server, ServerFp, [ClientFp]);
        var client = new FakeDtlsEngine(DtlsRole.Client, ClientFp, [ServerFp]);
        var now = TimeSpan.Zero;
        server.Start(now);
        client.Start(now);
        Shuttle(client, server, now);
        Shuttle(server, client, now);

        Assert.Equal(ClientFp, Assert.IsType<DtlsHandshakeCompleted>(Next(server)).PeerFingerprint);
        Assert.Equal(ServerFp, Assert.IsType<DtlsHandshakeCompleted>(Next(client)).PeerFingerprint);

        Assert.Equal(DtlsSendResult.Sent, client.Send([1, 2, 3]));
        Assert.Equal(DtlsSendResult.TooLarge, client.Send(new byte[1164]));
        Shuttle(client, server, now);
        Assert.Equal([1, 2, 3], Assert.IsType<DtlsApplicationData>(Next(server)).Data.ToArray());

        server.Close();
        Shuttle(server, client, now);
        Assert.Equal(new DtlsClosed(ByPeer: true), Next(client));
        Assert.Equal(DtlsEngineState.Closed, client.State);
    }

    [Fact]
    public void Handshake_LostHello_RetransmittedOnVirtualTimer()
    {
        var server = new FakeDtlsEngine(DtlsRole.Server, ServerFp, [ClientFp]);
        var client = new FakeDtlsEngine(DtlsRole.Client, ClientFp, [ServerFp]);
        server.Start(TimeSpan.Zero);
        client.Start(TimeSpan.Zero);
        Assert.True(client.TryPollTransmit(out _)); // lost
        Assert.Equal(TimeSpan.FromSeconds(1), client.PollTimeout());

        client.HandleTimeout(TimeSpan.FromSeconds(1));
        Shuttle(client, server, TimeSpan.FromSeconds(1));
        Shuttle(server, client, TimeSpan.FromSeconds(1));
        Assert.Equal(DtlsEngineState.Connected, client.State);
        Assert.Null(client.PollTimeout());
    }

    [Fact]
    public void Handshake_WrongFingerprint_FailsBothSides()
    {
        var server = new FakeDtlsEngine(DtlsRole.Server, ServerFp, [ServerFp]);
        var client = new FakeDtlsEngine(DtlsRole.Client, ClientFp, [ServerFp]);
        server.Start(TimeSpan.Zero);
        client.Start(TimeSpan.Zero);
        Shuttle(client, server, TimeSpan.Zero);

        var failed = Assert.IsType<DtlsFailed>(Next(server));
        Assert.Equal(DtlsFailureReason.FingerprintMismatch, failed.Reason);
        Assert.Equal(DtlsSendResult.NotConnected, server.Send([1]));
    }

    [Fact]
    public void Handshake_NoAnswer_TimesOutAtDeadline()
    {
        var client = new FakeDtlsEngine(DtlsRole.Client, ClientFp, [ServerFp], new DtlsOptions { HandshakeTimeout = TimeSpan.FromSeconds(3) });
        client.Start(TimeSpan.Zero);
        for (var t = 1; t <= 3; t++)
        {
            client.HandleTimeout(TimeSpan.FromSeconds(t));
        }

        Assert.Equal(DtlsFailureReason.HandshakeTimeout, Assert.IsType<DtlsFailed>(Next(client)).Reason);
    }

    [Fact]
    public void HandleInput_RandomBytes_NeverThrow()
    {
        var random = new Random(8);
        var server = new FakeDtlsEngine(DtlsRole.Server, ServerFp, [ClientFp]);
        server.Start(TimeSpan.Zero);
        for (var i = 0; i < 5000; i++)
        {
            var bytes = new byte[random.Next(0, 64)];
            random.NextBytes(bytes);
            server.HandleInput(TimeSpan.Zero, bytes);
        }

        Assert.True(server.IgnoredDatagrams > 0);
    }

    private static void Shuttle(FakeDtlsEngine from, FakeDtlsEngine to, TimeSpan now)
    {
        while (from.TryPollTransmit(out var datagram))
        {
            to.HandleInput(now, datagram.Span);
        }
    }

    private static DtlsEvent Next(FakeDtlsEngine engine)
    {
        Assert.True(engine.TryPollEvent(out var e));
        return e;
    }
}
