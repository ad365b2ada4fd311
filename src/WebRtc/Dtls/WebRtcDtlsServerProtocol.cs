using Org.BouncyCastle.Crypto.Tls;
using Org.BouncyCastle.Security;

namespace Enslavism.WebRtc.Dtls;

/// <summary>
/// BouncyCastle's DTLS server protocol with the client's CertificateVerify (RFC 5246 §7.4.8) checked on the BCL
/// (OpenSSL) when the client certificate is ECDSA P-256, the WebRTC norm. The checks are BouncyCastle's own, in its
/// order: the signature algorithm must be one we offered in the CertificateRequest, the signature is over the
/// transcript hash of that algorithm, made with the key of the certificate that already matched the SDP fingerprint
/// (<see cref="DtlsPeerState.VerifyPeerCertificate"/>); a bad signature fails the handshake with decrypt_error.
/// Other keys go to BouncyCastle's implementation unchanged.
/// </summary>
internal sealed class WebRtcDtlsServerProtocol(SecureRandom random, WebRtcDtlsServer server, DtlsPeerState peerState) : DtlsServerProtocol(random)
{
    protected override void ProcessCertificateVerify(ServerHandshakeState state, byte[] body, TlsHandshakeHash prepareFinishHash)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(prepareFinishHash);
        if (!server.UseBclPublicKeyCrypto
            || server.RequestedSignatureAlgorithms is not { } requested
            || peerState.VerifiedPeerCertificate is not { } certificate
            || NetEcdsa.TryImportPublicKey(certificate) is not { } key)
        {
            base.ProcessCertificateVerify(state, body, prepareFinishHash);
            return;
        }

        using (key)
        {
            using var input = new MemoryStream(body, false);
            var signed = DigitallySigned.Parse(server.Context, input);
            if (input.Position != input.Length)
            {
                throw new TlsFatalAlert(AlertDescription.decode_error);
            }

            if (signed.Algorithm is not { } algorithm)
            {
                // DTLS 1.2 always carries the algorithm (RFC 5246 §4.7); BC would fail the same way.
                throw new TlsFatalAlert(AlertDescription.decrypt_error);
            }

            TlsUtilities.VerifySupportedSignatureAlgorithm(requested, algorithm);
            if (algorithm.Signature != SignatureAlgorithm.ecdsa)
            {
                throw new TlsFatalAlert(AlertDescription.decrypt_error);
            }

            var hash = prepareFinishHash.GetFinalHash(algorithm.Hash);
            if (!NetEcdsa.VerifyHash(key, hash, signed.Signature))
            {
                throw new TlsFatalAlert(AlertDescription.decrypt_error);
            }

            peerState.BclCertificateVerify = true;
        }
    }
}
