using System.Collections;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Tls;
using Org.BouncyCastle.Security;

namespace Enslavism.WebRtc.Dtls;

/// <summary>
/// ECDHE_ECDSA key exchange (RFC 8422 §2.1, §5.4, §5.7) whose P-256 operations run on the BCL (OpenSSL):
/// ephemeral key generation, the shared secret (the premaster secret is the x-coordinate, RFC 8422 §5.10, which is
/// what <see cref="ECDiffieHellman.DeriveRawSecretAgreement"/> returns) and, in the client role, the check of the
/// ServerKeyExchange signature. BouncyCastle keeps driving the handshake and does everything else (transcript, PRF,
/// Finished). Any other curve, point format or key type falls back to BouncyCastle's own implementation unchanged.
/// </summary>
internal sealed class NetEcdheKeyExchange : TlsECDheKeyExchange
{
    private const int P256 = NamedCurve.secp256r1;
    private const int P256PointLength = 65; // 0x04 || X(32) || Y(32), RFC 8422 §5.4.1 uncompressed
    private readonly DtlsPeerState? _state;
    private ECDiffieHellman? _ephemeral;
    private ECDiffieHellman? _peer;
    private ECDsa? _serverKey;

    public NetEcdheKeyExchange(
        int keyExchange, IList supportedSignatureAlgorithms, int[] namedCurves, byte[] clientECPointFormats, byte[] serverECPointFormats,
        DtlsPeerState? state = null)
        : base(keyExchange, supportedSignatureAlgorithms, namedCurves, clientECPointFormats, serverECPointFormats)
    {
        _state = state;
    }

    // ---- server role ----

    public override byte[] GenerateServerKeyExchange()
    {
        if (!ServerWouldChooseUncompressedP256())
        {
            return base.GenerateServerKeyExchange();
        }

        _ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        using var buffer = new MemoryStream();
        TlsEccUtilities.WriteNamedECParameters(P256, buffer);
        TlsUtilities.WriteOpaque8(EncodePoint(_ephemeral), buffer);

        // Signed exactly as BouncyCastle signs it: hash(client_random + server_random + params), RFC 8422 §5.4.
        var algorithm = TlsUtilities.GetSignatureAndHashAlgorithm(mContext, mServerCredentials);
        var hash = ParamsHash(algorithm, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        var signature = mServerCredentials.GenerateCertificateSignature(hash);
        new DigitallySigned(algorithm, signature).Encode(buffer);
        return buffer.ToArray();
    }

    public override void ProcessClientKeyExchange(Stream input)
    {
        if (_ephemeral is null)
        {
            base.ProcessClientKeyExchange(input);
            return;
        }

        _peer = ImportPeerPoint(TlsUtilities.ReadOpaque8(input), mServerECPointFormats);
    }

    // ---- client role ----

    public override void ProcessServerCertificate(Certificate serverCertificate)
    {
        base.ProcessServerCertificate(serverCertificate);
        if (mContext.IsServer)
        {
            // BC routes the server's own credentials through here too; only the client verifies with it.
            return;
        }

        _serverKey?.Dispose();
        _serverKey = serverCertificate is { IsEmpty: false } ? NetEcdsa.TryImportPublicKey(serverCertificate.GetCertificateAt(0)) : null;
    }

    public override void ProcessServerKeyExchange(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var copy = new MemoryStream();
        input.CopyTo(copy);
        var body = copy.ToArray();

        // named_curve(3), secp256r1, then the point; anything else goes to BouncyCastle untouched.
        // The server may only pick a curve we offered; BouncyCastle's path raises the alert for anything else.
        if (_serverKey is null || body.Length < 4 || body[0] != ECCurveType.named_curve
            || TlsUtilities.ReadUint16(body, 1) != P256 || body[3] > body.Length - 4
            || (mNamedCurves is not null && Array.IndexOf(mNamedCurves, P256) < 0))
        {
            base.ProcessServerKeyExchange(new MemoryStream(body, false));
            return;
        }

        var paramsLength = 4 + body[3];
        using var rest = new MemoryStream(body, paramsLength, body.Length - paramsLength, false);
        var signed = ParseSignature(rest);
        if (rest.Position != rest.Length)
        {
            throw new TlsFatalAlert(AlertDescription.decode_error);
        }

        if (signed.Algorithm is not { } algorithm || algorithm.Signature != SignatureAlgorithm.ecdsa)
        {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter);
        }

        var hash = ParamsHash(algorithm, body.AsSpan(0, paramsLength));
        if (!NetEcdsa.VerifyHash(_serverKey, hash, signed.Signature))
        {
            throw new TlsFatalAlert(AlertDescription.decrypt_error);
        }

        _peer = ImportPeerPoint(body.AsSpan(4, body[3]).ToArray(), mClientECPointFormats);
    }

    public override void GenerateClientKeyExchange(Stream output)
    {
        if (_peer is null)
        {
            base.GenerateClientKeyExchange(output);
            return;
        }

        _ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        TlsUtilities.WriteOpaque8(EncodePoint(_ephemeral), output);
    }

    // ---- both ----

    public override byte[] GeneratePremasterSecret()
    {
        if (_ephemeral is null || _peer is null)
        {
            return base.GeneratePremasterSecret();
        }

        try
        {
            var secret = _ephemeral.DeriveRawSecretAgreement(_peer.PublicKey);
            if (_state is not null)
            {
                _state.BclKeyAgreement = true;
            }

            return secret;
        }
        finally
        {
            _ephemeral.Dispose();
            _peer.Dispose();
            _serverKey?.Dispose();
            (_ephemeral, _peer, _serverKey) = (null, null, null);
        }
    }

    /// <summary>Encodes our public point uncompressed (every peer must accept it, RFC 8422 §5.1.2).</summary>
    internal static byte[] EncodePoint(ECDiffieHellman key)
    {
        var q = key.ExportParameters(false).Q;
        var point = new byte[P256PointLength];
        point[0] = 0x04;
        q.X.AsSpan().CopyTo(point.AsSpan(1, 32));
        q.Y.AsSpan().CopyTo(point.AsSpan(33, 32));
        return point;
    }

    /// <summary>
    /// The peer's ephemeral point as a BCL key. Uncompressed points are imported directly; OpenSSL rejects points off
    /// the curve on import (the check RFC 8422 §5.11 requires). Compressed points, which we advertise because BC does,
    /// are decoded and validated by BouncyCastle first.
    /// </summary>
    internal static ECDiffieHellman ImportPeerPoint(byte[] encoded, byte[] pointFormats)
    {
        byte[] x, y;
        if (encoded.Length == P256PointLength && encoded[0] == 0x04)
        {
            x = encoded[1..33];
            y = encoded[33..];
        }
        else
        {
            try
            {
                var domain = TlsEccUtilities.GetParametersForNamedCurve(P256);
                var point = TlsEccUtilities.ValidateECPublicKey(TlsEccUtilities.DeserializeECPublicKey(pointFormats, domain, encoded)).Q.Normalize();
                x = point.AffineXCoord.GetEncoded();
                y = point.AffineYCoord.GetEncoded();
            }
            catch (Exception ex) when (ex is not TlsFatalAlert)
            {
                throw new TlsFatalAlert(AlertDescription.illegal_parameter, ex);
            }
        }

        try
        {
            return ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y } });
        }
        catch (CryptographicException ex)
        {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, ex);
        }
    }

    private byte[] ParamsHash(SignatureAndHashAlgorithm algorithm, ReadOnlySpan<byte> parameters)
    {
        var digest = TlsUtilities.CreateHash(algorithm);
        var security = mContext.SecurityParameters;
        digest.BlockUpdate(security.ClientRandom, 0, security.ClientRandom.Length);
        digest.BlockUpdate(security.ServerRandom, 0, security.ServerRandom.Length);
        var bytes = parameters.ToArray();
        digest.BlockUpdate(bytes, 0, bytes.Length);
        return DigestUtilities.DoFinal(digest);
    }

    /// <summary>
    /// Mirrors BouncyCastle's own choice (the client's first named curve it supports, RFC 8422 §5.1.1) so the fast path
    /// never changes which curve is negotiated, and only takes it when that is P-256 sent uncompressed.
    /// </summary>
    private bool ServerWouldChooseUncompressedP256()
    {
        var chosen = -1;
        if (mNamedCurves is null)
        {
            chosen = P256;
        }
        else
        {
            foreach (var curve in mNamedCurves)
            {
                if (NamedCurve.IsValid(curve) && TlsEccUtilities.IsSupportedNamedCurve(curve))
                {
                    chosen = curve;
                    break;
                }
            }
        }

        return chosen == P256
            && !TlsEccUtilities.IsCompressionPreferred(mClientECPointFormats, ECPointFormat.ansiX962_compressed_prime);
    }
}
