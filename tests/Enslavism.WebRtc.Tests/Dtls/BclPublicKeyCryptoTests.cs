using System.Collections.Concurrent;
using System.Formats.Asn1;
using System.Security.Cryptography;
using Enslavism.WebRtc.Dtls;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Crypto.Tls;
using Org.BouncyCastle.Security;
using HashAlgorithm = Org.BouncyCastle.Crypto.Tls.HashAlgorithm;

namespace Enslavism.WebRtc.Tests.Dtls;

/// <summary>
/// The handshake's P-256 operations on the BCL (<see cref="NetEcdsa"/>, <see cref="NetEcdsaSignerCredentials"/>,
/// <see cref="NetEcdheKeyExchange"/>, <see cref="WebRtcDtlsServerProtocol"/>): known answers, agreement with
/// BouncyCastle's own implementation, and forged signatures still failing the handshake.
/// </summary>
public sealed class BclPublicKeyCryptoTests
{
    // NIST CAVS ECDH P-256 (KAS ECC CDH primitive), COUNT = 0.
    private static readonly byte[] CavsPeerPoint = Convert.FromHexString(
        "04700c48f77f56584c5cc632ca65640db91b6bacce3a4df6b42ce7cc838833d287db71e509e3fd9b060ddb20ba5c51dcc5948d46fbf640dfe0441782cab85fa4ac");
    private static readonly byte[] CavsD = Convert.FromHexString("7d7dc5f71eb29ddaf80d6214632eeae03d9058af1fb6d22ed80badb62bc1a534");
    private static readonly byte[] CavsQx = Convert.FromHexString("ead218590119e8876b29146ff89ca61770c4edbbf97d38ce385ed281d8a6b230");
    private static readonly byte[] CavsQy = Convert.FromHexString("28af61281fd35e2fa7002523acc85a429cb06ee6648325389f59edfce1405141");
    private static readonly byte[] CavsZ = Convert.FromHexString("46fc62106420ff012e54a434fbdd2d25ccc5852060561e68040dd7778997bd7b");

    [Fact]
    public void ImportPeerPoint_NistCavsVector_DerivesKnownSharedSecret()
    {
        using var ours = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            D = CavsD,
            Q = new ECPoint { X = CavsQx, Y = CavsQy },
        });
        using var peer = NetEcdheKeyExchange.ImportPeerPoint(CavsPeerPoint, [ECPointFormat.uncompressed]);
        Assert.Equal(CavsZ, ours.DeriveRawSecretAgreement(peer.PublicKey));
        Assert.Equal([0x04, .. CavsQx, .. CavsQy], NetEcdheKeyExchange.EncodePoint(ours));
    }

    [Fact]
    public void Premaster_BclAndBouncyCastle_AgreeOnUncompressedAndCompressedPoints()
    {
        var domain = TlsEccUtilities.GetParametersForNamedCurve(NamedCurve.secp256r1);
        var bcPair = TlsEccUtilities.GenerateECKeyPair(DtlsTestSupport.SeededRandom(7), domain);
        var bcPublic = (ECPublicKeyParameters)bcPair.Public;
        using var net = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);

        // BC's side: our encoded point through BC's own decoder and agreement.
        var netAsBc = TlsEccUtilities.DeserializeECPublicKey([ECPointFormat.uncompressed], domain, NetEcdheKeyExchange.EncodePoint(net));
        var expected = TlsEccUtilities.CalculateECDHBasicAgreement(netAsBc, (ECPrivateKeyParameters)bcPair.Private);

        var uncompressed = TlsEccUtilities.SerializeECPublicKey([ECPointFormat.uncompressed], bcPublic);
        var compressed = TlsEccUtilities.SerializeECPublicKey([ECPointFormat.ansiX962_compressed_prime, ECPointFormat.uncompressed], bcPublic);
        Assert.Equal(65, uncompressed.Length);
        Assert.Equal(33, compressed.Length);
        byte[] formats = [ECPointFormat.uncompressed, ECPointFormat.ansiX962_compressed_prime];
        using var fromUncompressed = NetEcdheKeyExchange.ImportPeerPoint(uncompressed, formats);
        using var fromCompressed = NetEcdheKeyExchange.ImportPeerPoint(compressed, formats);
        Assert.Equal(expected, net.DeriveRawSecretAgreement(fromUncompressed.PublicKey));
        Assert.Equal(expected, net.DeriveRawSecretAgreement(fromCompressed.PublicKey));
    }

    [Theory]
    [InlineData("off-curve")]
    [InlineData("short")]
    [InlineData("empty")]
    [InlineData("bad-prefix")]
    public void ImportPeerPoint_InvalidPoint_IsIllegalParameter(string kind)
    {
        var point = CavsPeerPoint.ToArray();
        point[^1] ^= 0x01; // still 65 bytes, no longer on the curve
        byte[] encoded = kind switch
        {
            "off-curve" => point,
            "short" => CavsPeerPoint[..40],
            "empty" => [],
            _ => [0x05, .. CavsPeerPoint[1..]],
        };
        var alert = Assert.Throws<TlsFatalAlert>(() => NetEcdheKeyExchange.ImportPeerPoint(encoded, [ECPointFormat.uncompressed]));
        Assert.Equal(AlertDescription.illegal_parameter, alert.AlertDescription);
    }

    [Fact]
    public void VerifyHash_Fips186Vector_AcceptsAndRejectsTampered()
    {
        // FIPS 186-4 SigGen P-256/SHA-256, first vector (m is the SHA-256 of the message).
        using var key = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint
            {
                X = Convert.FromHexString("1ccbe91c075fc7f4f033bfa248db8fccd3565de94bbfb12f3c59ff46c271bf83"),
                Y = Convert.FromHexString("ce4014c68811f9a21a1fdb2c0e6113e06db7ca93b7404e78dc7ccd5ca89a4ca9"),
            },
        });
        var hash = Convert.FromHexString("44acf6b7e36c1342c2c5897204fe09504e1e2efb1a900377dbc4e7a6a133ec56");
        var r = Convert.FromHexString("f3ac8061b514795b8843e3d6629527ed2afd6b1f6a555a7acabb5e6f79c8c2ac");
        var s = Convert.FromHexString("8bf77819ca05a6b2786c76262bf7371cef97b218e96f175a3ccdda2acc058903");
        var der = Der(r, s);
        Assert.True(NetEcdsa.VerifyHash(key, hash, der));
        var tampered = der.ToArray();
        tampered[^1] ^= 0x01;
        Assert.False(NetEcdsa.VerifyHash(key, hash, tampered));
        Assert.False(NetEcdsa.VerifyHash(key, hash, [0x30, 0x03, 0x02, 0x01]));
        Assert.False(NetEcdsa.VerifyHash(key, hash, []));
    }

    [Fact]
    public void SignerCredentials_SignatureVerifiesWithBouncyCastleAndViceVersa()
    {
        var identity = DtlsTestSupport.ServerIdentity;
        Assert.True(identity.HasBclSigningKey);
        var certificate = identity.Chain.GetCertificateAt(0);
        var bcPublic = PublicKeyFactory.CreateKey(certificate.SubjectPublicKeyInfo);
        var hash = SHA256.HashData("server key exchange params"u8);
        var credentials = new NetEcdsaSignerCredentials(identity, new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
        Assert.Same(identity.Chain, credentials.Certificate);

        var ours = credentials.GenerateCertificateSignature(hash);
        var bcVerifier = new DsaDigestSigner(new ECDsaSigner(), new NullDigest());
        bcVerifier.Init(false, bcPublic);
        bcVerifier.BlockUpdate(hash, 0, hash.Length);
        Assert.True(bcVerifier.VerifySignature(ours));

        var bcSigner = new DsaDigestSigner(new ECDsaSigner(), new NullDigest());
        bcSigner.Init(true, new ParametersWithRandom(identity.PrivateKey, DtlsTestSupport.SeededRandom(3)));
        bcSigner.BlockUpdate(hash, 0, hash.Length);
        var theirs = bcSigner.GenerateSignature();
        using var key = NetEcdsa.TryImportPublicKey(certificate);
        Assert.NotNull(key);
        Assert.True(NetEcdsa.VerifyHash(key, hash, theirs));
        Assert.False(NetEcdsa.VerifyHash(key, SHA256.HashData("other"u8), theirs));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public void Handshake_AnyMixOfBclAndBouncyCastle_AgreesOnKeys(bool serverBcl, bool clientBcl)
    {
        using var run = new RawHandshake(serverBcl, clientBcl);
        run.Run();
        Assert.Null(run.ServerError);
        Assert.Null(run.ClientError);
        Assert.Equal(serverBcl, run.ServerState.BclKeyAgreement);
        Assert.Equal(serverBcl, run.ServerState.BclCertificateVerify);
        Assert.Equal(clientBcl, run.ClientState.BclKeyAgreement);
        Assert.Equal(DtlsTestSupport.ClientIdentity.Fingerprint, run.ServerState.VerifiedPeerFingerprint);
        Assert.Equal(DtlsTestSupport.ServerIdentity.Fingerprint, run.ClientState.VerifiedPeerFingerprint);
        // Both Finished messages verified, so both derived the same master secret; records prove the keys too.
        byte[] message = [1, 2, 3, 4, 5];
        run.ClientTransport!.Send(message, 0, message.Length);
        var buffer = new byte[64];
        var received = run.ServerTransport!.Receive(buffer, 0, buffer.Length, 5000);
        Assert.Equal(message, buffer[..received]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Handshake_ForgedCertificateVerify_ServerFailsWithDecryptError(bool bcl)
    {
        using var run = new RawHandshake(bcl, clientBcl: true) { ToServer = d => FlipLastByteOf(d, HandshakeType.certificate_verify) };
        run.Run();
        var alert = Assert.IsType<TlsFatalAlert>(run.ServerError);
        Assert.Equal(AlertDescription.decrypt_error, alert.AlertDescription);
        Assert.False(run.ServerState.BclCertificateVerify);
        Assert.NotNull(run.ClientError);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Handshake_ForgedServerKeyExchange_ClientFailsWithDecryptError(bool bcl)
    {
        using var run = new RawHandshake(serverBcl: true, bcl) { ToClient = d => FlipLastByteOf(d, HandshakeType.server_key_exchange) };
        run.Run();
        var alert = Assert.IsType<TlsFatalAlert>(run.ClientError);
        Assert.Equal(AlertDescription.decrypt_error, alert.AlertDescription);
        Assert.False(run.ClientState.BclKeyAgreement);
        Assert.NotNull(run.ServerError);
    }

    [Fact]
    public void Handshake_ClientCertificateFromAnotherKey_FailsFingerprintBeforeAnySignatureCheck()
    {
        // The fast path changes only how signatures are computed: the fingerprint binding still comes first.
        using var run = new RawHandshake(serverBcl: true, clientBcl: true, serverExpects: DtlsTestSupport.OtherIdentity.Fingerprint);
        run.Run();
        var alert = Assert.IsType<TlsFatalAlert>(run.ServerError);
        Assert.Equal(AlertDescription.bad_certificate, alert.AlertDescription);
        Assert.False(run.ServerState.BclCertificateVerify);
    }

    [Fact]
    public void Handshake_ClientOffersOnlyP384_ServerFallsBackToBouncyCastleForTheAgreement()
    {
        var client = new P384OnlyClient();
        using var run = new RawHandshake(serverBcl: true, clientBcl: true) { CustomClient = client };
        run.Run();
        Assert.Null(run.ServerError);
        Assert.Null(run.ClientError);
        Assert.Equal(NamedCurve.secp384r1, client.ServerCurve);
        Assert.False(run.ServerState.BclKeyAgreement);
        // The client's certificate is still P-256, so its CertificateVerify is still checked on the BCL.
        Assert.True(run.ServerState.BclCertificateVerify);
    }

    private static byte[] Der(byte[] r, byte[] s)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(r);
            writer.WriteIntegerUnsigned(s);
        }

        return writer.Encode();
    }

    /// <summary>Flips the last byte (inside the DER signature) of every epoch-0 handshake fragment of <paramref name="type"/>.</summary>
    private static byte[] FlipLastByteOf(byte[] datagram, byte type)
    {
        var copy = datagram.ToArray();
        var offset = 0;
        while (offset + 13 <= copy.Length)
        {
            var epoch = (copy[offset + 3] << 8) | copy[offset + 4];
            var length = (copy[offset + 11] << 8) | copy[offset + 12];
            var body = offset + 13;
            if (copy[offset] == ContentType.handshake && epoch == 0 && length > 12 && copy[body] == type)
            {
                copy[body + length - 1] ^= 0x01;
            }

            offset = body + length;
        }

        return copy;
    }

    /// <summary>
    /// Our BC peer classes driven directly by BouncyCastle's protocol objects over in-memory queues (no engine), so a
    /// test sees each side's exception and peer state.
    /// </summary>
    private sealed class RawHandshake : IDisposable
    {
        private readonly BlockingCollection<byte[]> _toServer = [];
        private readonly BlockingCollection<byte[]> _toClient = [];

        public RawHandshake(bool serverBcl, bool clientBcl, DtlsFingerprint? serverExpects = null)
        {
            ServerState = new DtlsPeerState([serverExpects ?? DtlsTestSupport.ClientIdentity.Fingerprint]);
            ClientState = new DtlsPeerState([DtlsTestSupport.ServerIdentity.Fingerprint]);
            var timeout = TimeSpan.FromSeconds(5);
            Server = new WebRtcDtlsServer(new DefaultTlsCipherFactory(), DtlsTestSupport.ServerIdentity,
                new DtlsOptions { UseBclPublicKeyCrypto = serverBcl, HandshakeTimeout = timeout }, ServerState);
            Client = new WebRtcDtlsClient(new DefaultTlsCipherFactory(), DtlsTestSupport.ClientIdentity,
                new DtlsOptions { UseBclPublicKeyCrypto = clientBcl, HandshakeTimeout = timeout }, ClientState);
        }

        public WebRtcDtlsServer Server { get; }

        public WebRtcDtlsClient Client { get; }

        public DtlsPeerState ServerState { get; }

        public DtlsPeerState ClientState { get; }

        public Func<byte[], byte[]>? ToServer { get; init; }

        /// <summary>Replaces our client peer (then <see cref="ClientState"/> stays untouched).</summary>
        public TlsClient? CustomClient { get; init; }

        public Func<byte[], byte[]>? ToClient { get; init; }

        public Exception? ServerError { get; private set; }

        public Exception? ClientError { get; private set; }

        public DtlsTransport? ServerTransport { get; private set; }

        public DtlsTransport? ClientTransport { get; private set; }

        public void Run()
        {
            var serverTransport = new QueueTransport(_toServer, _toClient, ToClient);
            var clientTransport = new QueueTransport(_toClient, _toServer, ToServer);
            var server = Task.Run(() => new WebRtcDtlsServerProtocol(DtlsTestSupport.SeededRandom(11), Server, ServerState).Accept(Server, serverTransport));
            var client = Task.Run(() => new DtlsClientProtocol(DtlsTestSupport.SeededRandom(12)).Connect(CustomClient ?? Client, clientTransport));
            ServerError = Outcome(server);
            ClientError = Outcome(client);
            ServerTransport = ServerError is null ? server.Result : null;
            ClientTransport = ClientError is null ? client.Result : null;
        }

        public void Dispose()
        {
            _toServer.Dispose();
            _toClient.Dispose();
        }

        private static Exception? Outcome(Task task)
        {
            try
            {
                Assert.True(task.Wait(DtlsTestSupport.WaitLimit), "handshake side did not finish");
                return null;
            }
            catch (AggregateException ex)
            {
                return ex.InnerException;
            }
        }
    }

    /// <summary>A BouncyCastle client whose supported_groups list only secp384r1, with our P-256 client certificate.</summary>
    private sealed class P384OnlyClient : DefaultTlsClient
    {
        public int? ServerCurve { get; private set; }

        public override ProtocolVersion ClientVersion => ProtocolVersion.DTLSv12;

        public override ProtocolVersion MinimumVersion => ProtocolVersion.DTLSv12;

        public override int[] GetCipherSuites() => [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256];

        public override System.Collections.IDictionary GetClientExtensions()
        {
            var extensions = base.GetClientExtensions();
            mNamedCurves = [NamedCurve.secp384r1];
            TlsEccUtilities.AddSupportedEllipticCurvesExtension(extensions, mNamedCurves);
            return extensions;
        }

        public override TlsKeyExchange GetKeyExchange() => new CurveSpy(this, base.GetKeyExchange());

        public override TlsAuthentication GetAuthentication() => new Authentication(this);

        private sealed class Authentication(P384OnlyClient owner) : TlsAuthentication
        {
            public void NotifyServerCertificate(Certificate serverCertificate)
            {
            }

            public TlsCredentials GetClientCredentials(CertificateRequest certificateRequest) => new DefaultTlsSignerCredentials(
                owner.mContext, DtlsTestSupport.ClientIdentity.Chain, DtlsTestSupport.ClientIdentity.PrivateKey,
                new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
        }

        /// <summary>Records the curve of the ServerKeyExchange (RFC 8422 §5.4: curve_type, then the named curve).</summary>
        private sealed class CurveSpy(P384OnlyClient owner, TlsKeyExchange inner) : TlsKeyExchange
        {
            public bool RequiresServerKeyExchange => inner.RequiresServerKeyExchange;

            public void Init(TlsContext context) => inner.Init(context);

            public void SkipServerCredentials() => inner.SkipServerCredentials();

            public void ProcessServerCredentials(TlsCredentials serverCredentials) => inner.ProcessServerCredentials(serverCredentials);

            public void ProcessServerCertificate(Certificate serverCertificate) => inner.ProcessServerCertificate(serverCertificate);

            public byte[] GenerateServerKeyExchange() => inner.GenerateServerKeyExchange();

            public void SkipServerKeyExchange() => inner.SkipServerKeyExchange();

            public void ProcessServerKeyExchange(Stream input)
            {
                using var copy = new MemoryStream();
                input.CopyTo(copy);
                var body = copy.ToArray();
                owner.ServerCurve = TlsUtilities.ReadUint16(body, 1);
                inner.ProcessServerKeyExchange(new MemoryStream(body, false));
            }

            public void ValidateCertificateRequest(CertificateRequest certificateRequest) => inner.ValidateCertificateRequest(certificateRequest);

            public void SkipClientCredentials() => inner.SkipClientCredentials();

            public void ProcessClientCredentials(TlsCredentials clientCredentials) => inner.ProcessClientCredentials(clientCredentials);

            public void ProcessClientCertificate(Certificate clientCertificate) => inner.ProcessClientCertificate(clientCertificate);

            public void GenerateClientKeyExchange(Stream output) => inner.GenerateClientKeyExchange(output);

            public void ProcessClientKeyExchange(Stream input) => inner.ProcessClientKeyExchange(input);

            public byte[] GeneratePremasterSecret() => inner.GeneratePremasterSecret();
        }
    }

    private sealed class QueueTransport(BlockingCollection<byte[]> inbound, BlockingCollection<byte[]> outbound, Func<byte[], byte[]>? tamper) : DatagramTransport
    {
        public int GetReceiveLimit() => 2048;

        public int GetSendLimit() => 1200;

        public int Receive(byte[] buf, int off, int len, int waitMillis)
        {
            // BC's 0 means "forever"; bounded here so a wedged test side cannot hang the run.
            if (!inbound.TryTake(out var datagram, waitMillis == 0 ? 5000 : waitMillis))
            {
                return -1;
            }

            var n = Math.Min(len, datagram.Length);
            Buffer.BlockCopy(datagram, 0, buf, off, n);
            return n;
        }

        public void Send(byte[] buf, int off, int len)
        {
            var datagram = buf.AsSpan(off, len).ToArray();
            outbound.Add(tamper is null ? datagram : tamper(datagram));
        }

        public void Close()
        {
        }
    }
}
