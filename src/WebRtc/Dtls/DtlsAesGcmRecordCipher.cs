using System.Security.Cryptography;

namespace Enslavism.WebRtc.Dtls;

/// <summary>
/// AES-GCM records, RFC 5288 §3: nonce = 4-byte implicit salt (the key block's write IV) || 8-byte explicit nonce
/// carried in front of the ciphertext. We send <c>epoch || sequence_number</c> as the explicit part, which is unique
/// per key as the RFC requires; on receipt whatever the peer sent is used.
/// </summary>
internal sealed class DtlsAesGcmRecordCipher : DtlsRecordCipher
{
    private readonly AesGcm _aes;
    private readonly byte[] _salt;

    public DtlsAesGcmRecordCipher(DtlsAeadSuite suite, byte[] key, byte[] salt)
        : base(suite)
    {
        if (salt.Length != 4 || suite.ExplicitNonceLength != 8)
        {
            throw new ArgumentException("AES-GCM records use a 4-byte salt and an 8-byte explicit nonce.", nameof(salt));
        }

        _aes = new AesGcm(key, DtlsAeadSuite.TagLength);
        _salt = (byte[])salt.Clone();
    }

    public override void Dispose() => _aes.Dispose();

    protected override void BuildNonce(ushort epoch, ulong sequenceNumber, ReadOnlySpan<byte> explicitNonce, Span<byte> nonce)
    {
        _salt.CopyTo(nonce);
        explicitNonce.CopyTo(nonce[4..]);
    }

    protected override void Encrypt(
        ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> additionalData) =>
        _aes.Encrypt(nonce, plaintext, ciphertext, tag, additionalData);

    protected override bool Decrypt(
        ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> additionalData)
    {
        try
        {
            _aes.Decrypt(nonce, ciphertext, tag, plaintext, additionalData);
            return true;
        }
        catch (CryptographicException)
        {
            // AuthenticationTagMismatchException derives from it: a forged or damaged record, never our bug.
            return false;
        }
    }
}
