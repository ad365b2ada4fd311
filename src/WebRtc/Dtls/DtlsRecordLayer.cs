namespace Enslavism.WebRtc.Dtls;

/// <summary>
/// Our DTLS 1.2 record layer for the epoch after BouncyCastle's handshake (RFC 6347 §4.1): seals records with the
/// next write sequence number and opens received ones through the replay window (§4.1.2.6), which only advances
/// after a record authenticated, so forged records cannot poison it. Invalid records are reported, never thrown,
/// so the caller can discard them silently as §4.1.2.7 recommends. Not thread-safe.
/// </summary>
internal sealed class DtlsRecordLayer : IDisposable
{
    /// <summary>RFC 5246 §6.2.1: plaintext fragments never exceed 2^14 bytes.</summary>
    public const int MaxPlaintextLength = 1 << 14;

    /// <summary>Sequence numbers are 48 bits (RFC 6347 §4.1); we never wrap (§4.1: a new epoch would be needed).</summary>
    public const ulong MaxSequenceNumber = (1UL << 48) - 1;

    private readonly DtlsRecordCipher _writer;
    private readonly DtlsRecordCipher _reader;
    private readonly DtlsReplayWindow _replayWindow = new();

    public DtlsRecordLayer(DtlsRecordCipher writer, DtlsRecordCipher reader, ushort epoch, ulong nextWriteSequence)
    {
        _writer = writer;
        _reader = reader;
        Epoch = epoch;
        NextWriteSequence = nextWriteSequence;
    }

    public ushort Epoch { get; }

    /// <summary>Sequence number the next sealed record gets.</summary>
    public ulong NextWriteSequence { get; private set; }

    /// <summary>Fragment bytes beyond the plaintext (explicit nonce plus tag).</summary>
    public int Overhead => _writer.Overhead;

    /// <summary>Largest plaintext whose record fits a datagram of <paramref name="datagramSize"/> bytes.</summary>
    public int PlaintextLimit(int datagramSize) =>
        Math.Clamp(datagramSize - DtlsRecordHeader.Size - Overhead, 0, MaxPlaintextLength);

    /// <summary>Record length for a plaintext of <paramref name="plaintextLength"/> bytes.</summary>
    public int SealedLength(int plaintextLength) => DtlsRecordHeader.Size + Overhead + plaintextLength;

    /// <summary>
    /// Seals one record into <paramref name="destination"/>. False when the sequence numbers are exhausted: the
    /// caller must then fail the session (fail closed) rather than reuse a nonce.
    /// </summary>
    public bool TrySeal(DtlsContentType type, ReadOnlySpan<byte> plaintext, Span<byte> destination, out int written)
    {
        if (NextWriteSequence > MaxSequenceNumber)
        {
            written = 0;
            return false;
        }

        written = _writer.Seal(type, Epoch, NextWriteSequence, plaintext, destination);
        NextWriteSequence++;
        return true;
    }

    /// <summary>Plaintext length of an authentic record with this header, or −1 if none can be.</summary>
    public int PlaintextLength(in DtlsRecordHeader header)
    {
        var length = header.Length - _reader.Overhead;
        return length is < 0 or > MaxPlaintextLength ? -1 : length;
    }

    /// <summary>
    /// Checks and opens one record. <paramref name="plaintext"/> must be exactly <see cref="PlaintextLength"/> bytes;
    /// it holds the plaintext only when the result is <see cref="DtlsRecordOpenResult.Opened"/>.
    /// </summary>
    public DtlsRecordOpenResult Open(in DtlsRecordHeader header, ReadOnlySpan<byte> fragment, Span<byte> plaintext)
    {
        if (header.Epoch != Epoch || header.Version != DtlsRecordHeader.Dtls12Version)
        {
            return DtlsRecordOpenResult.OtherEpoch;
        }

        var length = PlaintextLength(header);
        if (length < 0 || fragment.Length != header.Length || plaintext.Length != length)
        {
            return DtlsRecordOpenResult.Malformed;
        }

        if (_replayWindow.IsDuplicate(header.SequenceNumber))
        {
            return DtlsRecordOpenResult.Replayed;
        }

        if (!_reader.TryOpen(header, fragment, plaintext))
        {
            return DtlsRecordOpenResult.AuthenticationFailed;
        }

        _replayWindow.Mark(header.SequenceNumber);
        return DtlsRecordOpenResult.Opened;
    }

    public void Dispose()
    {
        _writer.Dispose();
        _reader.Dispose();
    }
}
