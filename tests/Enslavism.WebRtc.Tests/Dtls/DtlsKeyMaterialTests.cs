using System.Security.Cryptography;
using Enslavism.WebRtc.Dtls;
using Org.BouncyCastle.Crypto.Tls;

namespace Enslavism.WebRtc.Tests.Dtls;

/// <summary>Key derivation (RFC 5246 §5, §6.3) checked against BouncyCastle's own PRF inside a real handshake.</summary>
public sealed class DtlsKeyMaterialTests
{
    [Theory]
    [InlineData(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)]
    [InlineData(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384)]
    [InlineData(CipherSuite.DRAFT_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256)]
    public void Derive_InRealHandshake_EqualsBouncyCastleKeyBlock(int suite)
    {
        var probe = new KeyBlockProbe();
        using var run = new PlainBcClientTests.PlainClientRun(new PlainBcClientTests.PlainClient(
            DtlsTestSupport.ClientIdentity, offerSrtp: false, suites: [suite], cipherFactory: probe));
        run.Connect();

        Assert.IsType<DtlsHandshakeCompleted>(Assert.Single(run.ServerEvents));
        Assert.NotNull(probe.Expected);
        Assert.Equal(probe.Expected, probe.Ours);
    }

    [Fact]
    public void Compute_Sha384_DiffersFromSha256AndIsDeterministic()
    {
        var secret = new byte[48];
        var a = new byte[72];
        var b = new byte[72];
        var c = new byte[72];
        DtlsPseudoRandomFunction.Compute(HashAlgorithmName.SHA256, secret, "key expansion", new byte[64], a);
        DtlsPseudoRandomFunction.Compute(HashAlgorithmName.SHA384, secret, "key expansion", new byte[64], b);
        DtlsPseudoRandomFunction.Compute(HashAlgorithmName.SHA384, secret, "key expansion", new byte[64], c);

        Assert.NotEqual(a, b);
        Assert.Equal(b, c);
    }

    [Fact]
    public void HandleInput_FatalAlertSealedWithDerivedClientKeys_FailsSessionWithPeerAlert()
    {
        // Only a record sealed with the client's real write key may end the session: this one is, via our derivation.
        var probe = new KeyBlockProbe();
        using var run = new PlainBcClientTests.PlainClientRun(new PlainBcClientTests.PlainClient(
            DtlsTestSupport.ClientIdentity, offerSrtp: false, cipherFactory: probe));
        run.Connect();
        run.ServerEvents.Clear();
        using var clientWriter = DtlsRecordCipher.Create(probe.Suite, probe.Keys!.ClientWriteKey, probe.Keys.ClientWriteIv);
        var alert = new byte[13 + clientWriter.Overhead + 2];
        clientWriter.Seal(DtlsContentType.Alert, 1, 1000, [AlertLevel.fatal, AlertDescription.internal_error], alert);

        run.Server.HandleInput(TimeSpan.FromSeconds(5), alert);

        var failed = Assert.IsType<DtlsFailed>(Assert.Single(run.ServerEvents.Concat(Drain(run.Server))));
        Assert.Equal(DtlsFailureReason.PeerAlert, failed.Reason);
        Assert.Equal(AlertDescription.internal_error, failed.AlertDescription);
    }

    [Fact]
    public void Close_PlainBcClientSendsCloseNotify_ServerReportsClosedByPeer()
    {
        using var run = new PlainBcClientTests.PlainClientRun(new PlainBcClientTests.PlainClient(DtlsTestSupport.ClientIdentity, offerSrtp: false));
        run.Connect();
        run.ServerEvents.Clear();

        run.ClientTransport!.Close();
        run.Pump();

        Assert.Equal(new DtlsClosed(ByPeer: true), Assert.Single(run.ServerEvents));
        Assert.Equal(DtlsEngineState.Closed, run.Server.State);
    }

    private static List<DtlsEvent> Drain(BcDtlsEngine engine)
    {
        var events = new List<DtlsEvent>();
        while (engine.TryPollEvent(out var e))
        {
            events.Add(e);
        }

        return events;
    }

    /// <summary>Computes BC's key block and ours from the same live handshake state when BC creates the cipher.</summary>
    private sealed class KeyBlockProbe : DefaultTlsCipherFactory
    {
        public byte[]? Expected { get; private set; }

        public DtlsKeyMaterial? Keys { get; private set; }

        public DtlsAeadSuite Suite { get; private set; }

        public byte[]? Ours { get; private set; }

        public override TlsCipher CreateCipher(TlsContext context, int encryptionAlgorithm, int macAlgorithm)
        {
            var parameters = context.SecurityParameters;
            Assert.True(DtlsAeadSuite.TryGet(parameters.CipherSuite, out var suite));
            Expected = TlsUtilities.PRF(
                context, parameters.MasterSecret, ExporterLabel.key_expansion,
                [.. parameters.ServerRandom, .. parameters.ClientRandom], suite.KeyBlockLength);
            var keys = DtlsKeyMaterial.Derive(suite, parameters.MasterSecret, parameters.ClientRandom, parameters.ServerRandom);
            Keys = keys;
            Suite = suite;
            Ours = [.. keys.ClientWriteKey, .. keys.ServerWriteKey, .. keys.ClientWriteIv, .. keys.ServerWriteIv];
            return base.CreateCipher(context, encryptionAlgorithm, macAlgorithm);
        }
    }
}
