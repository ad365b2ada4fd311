using Org.BouncyCastle.Crypto.Tls;

namespace Enslavism.WebRtc.Dtls;

/// <summary>
/// Wraps the cipher factory BouncyCastle's handshake uses so the engine learns the keys it needs to run the record
/// layer itself after the handshake (RFC 5246 §6.3). BC asks for the epoch-1 cipher right after establishing the
/// master secret, and wipes the secret before returning from the handshake, so this is the moment to copy it.
/// </summary>
internal sealed class DtlsSecretCapturingCipherFactory(TlsCipherFactory inner) : TlsCipherFactory
{
    private volatile DtlsHandshakeSecrets? _secrets;

    /// <summary>Secrets of the most recent cipher BC created, or null before the key exchange finished.</summary>
    public DtlsHandshakeSecrets? Secrets => _secrets;

    public TlsCipher CreateCipher(TlsContext context, int encryptionAlgorithm, int macAlgorithm)
    {
        var parameters = context.SecurityParameters;
        _secrets = new DtlsHandshakeSecrets(
            parameters.CipherSuite,
            (byte[])parameters.MasterSecret.Clone(),
            (byte[])parameters.ClientRandom.Clone(),
            (byte[])parameters.ServerRandom.Clone());
        return inner.CreateCipher(context, encryptionAlgorithm, macAlgorithm);
    }
}
