using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Tls;

namespace Enslavism.WebRtc.Dtls;

/// <summary>
/// BouncyCastle TLS cipher factory that keeps every suite of <see cref="DefaultTlsCipherFactory"/> but runs AES-GCM
/// (RFC 5288, e.g. TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 from RFC 8827 §6.5) on the BCL implementation.
/// Wire-compatible with BC's managed GCM; only speed differs.
/// </summary>
public sealed class BclAesGcmCipherFactory : DefaultTlsCipherFactory
{
    protected override IAeadBlockCipher CreateAeadBlockCipher_Aes_Gcm() => new BclAesGcmAeadCipher();
}
