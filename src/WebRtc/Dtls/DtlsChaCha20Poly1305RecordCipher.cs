using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Enslavism.WebRtc.Dtls;

/// <summary>
/// ChaCha20-Poly1305 records, RFC 7905 §2: no explicit nonce on the wire; the nonce is the 12-byte write IV XOR the
/// 64-bit <c>epoch || sequence_number</c> left-padded with four zero bytes.
/// </summary>
internal sealed class DtlsChaCha20Poly1305RecordCipher : DtlsRecordCipher
{
    private readonly ChaCha20Poly1305 _chacha;
    private readonly byte[] _iv;

    public DtlsChaCha20Poly1305RecordCipher(DtlsAeadSuite suite, byte[] key, byte[] iv)
        : base(suite)
    {
        if (iv.Length != 12 || suite.ExplicitNonceLength != 0)
        {
            throw new ArgumentException("ChaCha20-Poly1305 records use a 12-byte IV and no explicit nonce.", nameof(iv));
        }

        _chacha = new ChaCha20Poly1305(key);
        _iv = (byte[])iv.Clone();
    }

    public override void Dispose() => _chacha.Dispose();

    protected override void BuildNonce(ushort epoch, ulong sequenceNumber, ReadOnlySpan<byte> explicitNonce, Span<byte> nonce)
    {
        _iv.CopyTo(nonce);
        var padded = ((ulong)epoch << 48) | sequenceNumber;
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], BinaryPrimitives.ReadUInt64BigEndian(nonce[4..]) ^ padded);
    }

    protected override void Encrypt(
        ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> additionalData) =>
        _chacha.Encrypt(nonce, plaintext, ciphertext, tag, additionalData);

    protected override bool Decrypt(
        ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> additionalData)
    {
        try
        {
            _chacha.Decrypt(nonce, ciphertext, tag, plaintext, additionalData);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
