using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Enslavism.WebRtc.Dtls;

/// <summary>
/// AEAD protection of DTLS 1.2 records in one direction (one key, one implicit IV). The additional data is
/// <c>epoch(2) || sequence_number(6) || type(1) || version(2) || plaintext length(2)</c> (RFC 6347 §4.1.2.1,
/// RFC 5246 §6.2.3.3); the nonce construction is the subclass's (RFC 5288 §3 for AES-GCM, RFC 7905 §2 for
/// ChaCha20-Poly1305). Not thread-safe: scratch buffers are reused so a record costs no allocation.
/// </summary>
internal abstract class DtlsRecordCipher : IDisposable
{
    private const int AdditionalDataLength = 13;

    private readonly byte[] _nonce = new byte[12];
    private readonly byte[] _additionalData = new byte[AdditionalDataLength];

    protected DtlsRecordCipher(DtlsAeadSuite suite)
    {
        Suite = suite;
    }

    public DtlsAeadSuite Suite { get; }

    /// <summary>Fragment bytes beyond the plaintext: explicit nonce plus tag.</summary>
    public int Overhead => Suite.Overhead;

    /// <summary>Creates the cipher for <paramref name="suite"/> with one direction's key and implicit IV.</summary>
    public static DtlsRecordCipher Create(DtlsAeadSuite suite, byte[] key, byte[] implicitIv) => suite.Algorithm switch
    {
        DtlsAeadAlgorithm.AesGcm => new DtlsAesGcmRecordCipher(suite, key, implicitIv),
        DtlsAeadAlgorithm.ChaCha20Poly1305 => new DtlsChaCha20Poly1305RecordCipher(suite, key, implicitIv),
        _ => throw new ArgumentOutOfRangeException(nameof(suite), suite.Algorithm, "Unknown AEAD algorithm."),
    };

    /// <summary>
    /// Writes the complete record (13-byte header, explicit nonce, ciphertext, tag) to <paramref name="destination"/>
    /// and returns its length. <paramref name="destination"/> must hold <c>13 + Overhead + plaintext.Length</c> bytes.
    /// </summary>
    public int Seal(
        DtlsContentType type, ushort epoch, ulong sequenceNumber, ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        var fragmentLength = Overhead + plaintext.Length;
        var recordLength = DtlsRecordHeader.Size + fragmentLength;
        if (destination.Length < recordLength)
        {
            throw new ArgumentException("Destination shorter than the sealed record.", nameof(destination));
        }

        new DtlsRecordHeader(type, DtlsRecordHeader.Dtls12Version, epoch, sequenceNumber, (ushort)fragmentLength)
            .WriteTo(destination);
        var fragment = destination[DtlsRecordHeader.Size..recordLength];
        var explicitNonce = fragment[..Suite.ExplicitNonceLength];
        WriteSequence(explicitNonce, epoch, sequenceNumber);
        BuildNonce(epoch, sequenceNumber, explicitNonce, _nonce);
        WriteAdditionalData(type, epoch, sequenceNumber, plaintext.Length);
        var body = fragment[Suite.ExplicitNonceLength..];
        Encrypt(_nonce, plaintext, body[..plaintext.Length], body[plaintext.Length..], _additionalData);
        return recordLength;
    }

    /// <summary>
    /// Authenticates and decrypts the fragment of <paramref name="header"/>'s record into <paramref name="plaintext"/>,
    /// which must be exactly <c>fragment.Length - Overhead</c> bytes. False when the record is not authentic.
    /// </summary>
    public bool TryOpen(in DtlsRecordHeader header, ReadOnlySpan<byte> fragment, Span<byte> plaintext)
    {
        if (fragment.Length < Overhead || plaintext.Length != fragment.Length - Overhead)
        {
            return false;
        }

        var explicitNonce = fragment[..Suite.ExplicitNonceLength];
        BuildNonce(header.Epoch, header.SequenceNumber, explicitNonce, _nonce);
        WriteAdditionalData(header.ContentType, header.Epoch, header.SequenceNumber, plaintext.Length);
        var body = fragment[Suite.ExplicitNonceLength..];
        return Decrypt(_nonce, body[..plaintext.Length], body[plaintext.Length..], plaintext, _additionalData);
    }

    public abstract void Dispose();

    /// <summary>The 64-bit <c>epoch || sequence_number</c> DTLS uses wherever TLS uses its implicit sequence number.</summary>
    protected static void WriteSequence(Span<byte> destination, ushort epoch, ulong sequenceNumber)
    {
        if (destination.Length >= 8)
        {
            BinaryPrimitives.WriteUInt64BigEndian(destination, ((ulong)epoch << 48) | sequenceNumber);
        }
    }

    /// <summary>Builds the 12-byte per-record nonce.</summary>
    protected abstract void BuildNonce(ushort epoch, ulong sequenceNumber, ReadOnlySpan<byte> explicitNonce, Span<byte> nonce);

    protected abstract void Encrypt(
        ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> additionalData);

    /// <summary>False on a tag mismatch; never throws for hostile input.</summary>
    protected abstract bool Decrypt(
        ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> additionalData);

    private void WriteAdditionalData(DtlsContentType type, ushort epoch, ulong sequenceNumber, int plaintextLength)
    {
        WriteSequence(_additionalData, epoch, sequenceNumber);
        _additionalData[8] = (byte)type;
        BinaryPrimitives.WriteUInt16BigEndian(_additionalData.AsSpan(9), DtlsRecordHeader.Dtls12Version);
        BinaryPrimitives.WriteUInt16BigEndian(_additionalData.AsSpan(11), (ushort)plaintextLength);
    }
}
