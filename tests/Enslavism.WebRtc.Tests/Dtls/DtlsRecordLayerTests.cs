using Enslavism.WebRtc.Dtls;
using Org.BouncyCastle.Crypto.Tls;

namespace Enslavism.WebRtc.Tests.Dtls;

/// <summary>Replay window, limits and sequence numbers of <see cref="DtlsRecordLayer"/> (RFC 6347 §4.1, §4.1.2.6).</summary>
public sealed class DtlsRecordLayerTests
{
    [Fact]
    public void Open_SealedRecord_OpensOnceThenIsReplay()
    {
        using var layers = Pair(0);
        var (sender, receiver) = layers;
        var record = Seal(sender, [1, 2, 3]);

        Assert.Equal(DtlsRecordOpenResult.Opened, Open(receiver, record, out var plaintext));
        Assert.Equal([1, 2, 3], plaintext);
        Assert.Equal(DtlsRecordOpenResult.Replayed, Open(receiver, record, out _));
    }

    [Fact]
    public void Open_ForgedRecordWithFutureSequence_DoesNotMoveReplayWindow()
    {
        using var layers = Pair(0);
        var (sender, receiver) = layers;
        var genuine = Seal(sender, [7]);
        var forged = (byte[])genuine.Clone();
        forged[5] = 0x10; // sequence 2^44: would push the genuine one out of the window if marked before authenticating
        forged[^1] ^= 1;

        Assert.Equal(DtlsRecordOpenResult.AuthenticationFailed, Open(receiver, forged, out _));
        Assert.Equal(DtlsRecordOpenResult.Opened, Open(receiver, genuine, out _));
    }

    [Fact]
    public void Open_ReorderedWithinWindow_AcceptedOutsideWindow_Replay()
    {
        using var layers = Pair(0);
        var (sender, receiver) = layers;
        var records = Enumerable.Range(0, 70).Select(i => Seal(sender, [(byte)i])).ToArray();

        Assert.Equal(DtlsRecordOpenResult.Opened, Open(receiver, records[69], out _));
        Assert.Equal(DtlsRecordOpenResult.Opened, Open(receiver, records[6], out _)); // age 63
        Assert.Equal(DtlsRecordOpenResult.Replayed, Open(receiver, records[5], out _)); // age 64
    }

    [Fact]
    public void Open_WrongEpochOrVersion_IsOtherEpoch()
    {
        using var layers = Pair(0);
        var (sender, receiver) = layers;
        var record = Seal(sender, [1]);
        var epoch2 = (byte[])record.Clone();
        epoch2[4] = 2;
        var dtls10 = (byte[])record.Clone();
        dtls10[2] = 0xFF;

        Assert.Equal(DtlsRecordOpenResult.OtherEpoch, Open(receiver, epoch2, out _));
        Assert.Equal(DtlsRecordOpenResult.OtherEpoch, Open(receiver, dtls10, out _));
        Assert.Equal(DtlsRecordOpenResult.Opened, Open(receiver, record, out _));
    }

    [Fact]
    public void PlaintextLength_FragmentShorterThanOverheadOrOver16K_IsMalformed()
    {
        using var layers = Pair(0);
        var (_, receiver) = layers;
        var tooShort = new DtlsRecordHeader(DtlsContentType.ApplicationData, DtlsRecordHeader.Dtls12Version, 1, 0, 23);
        var tooLong = tooShort with { Length = (ushort)(DtlsRecordLayer.MaxPlaintextLength + 25) };
        var largest = tooShort with { Length = (ushort)(DtlsRecordLayer.MaxPlaintextLength + 24) };

        Assert.Equal(-1, receiver.PlaintextLength(tooShort));
        Assert.Equal(-1, receiver.PlaintextLength(tooLong));
        Assert.Equal(DtlsRecordLayer.MaxPlaintextLength, receiver.PlaintextLength(largest));
        Assert.Equal(DtlsRecordOpenResult.Malformed, receiver.Open(tooShort, new byte[23], []));
    }

    [Fact]
    public void TrySeal_SequenceNumbersExhausted_FailsClosed()
    {
        using var layers = Pair(DtlsRecordLayer.MaxSequenceNumber);
        var (sender, receiver) = layers;
        var last = new byte[sender.SealedLength(1)];

        Assert.True(sender.TrySeal(DtlsContentType.ApplicationData, [1], last, out _));
        Assert.False(sender.TrySeal(DtlsContentType.ApplicationData, [2], new byte[sender.SealedLength(1)], out var written));
        Assert.Equal(0, written);
        Assert.Equal(DtlsRecordOpenResult.Opened, Open(receiver, last, out _));
    }

    [Fact]
    public void PlaintextLimit_Mtu1200_Is1163ForGcm()
    {
        using var layers = Pair(0);
        var (sender, _) = layers;
        Assert.Equal(1163, sender.PlaintextLimit(1200));
        Assert.Equal(1200, sender.SealedLength(1163));
    }

    private static byte[] Seal(DtlsRecordLayer layer, byte[] plaintext)
    {
        var record = new byte[layer.SealedLength(plaintext.Length)];
        Assert.True(layer.TrySeal(DtlsContentType.ApplicationData, plaintext, record, out var written));
        Assert.Equal(record.Length, written);
        return record;
    }

    private static DtlsRecordOpenResult Open(DtlsRecordLayer layer, byte[] record, out byte[] plaintext)
    {
        Assert.True(DtlsRecordHeader.TryParse(record, out var header, out _));
        plaintext = new byte[Math.Max(0, layer.PlaintextLength(header))];
        return layer.Open(header, record.AsSpan(DtlsRecordHeader.Size), plaintext);
    }

    /// <summary>Two layers sharing one key per direction, like a client and a server after the handshake.</summary>
    private static LayerPair Pair(ulong nextWriteSequence)
    {
        const int suite = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
        var sender = new DtlsRecordLayer(
            DtlsRecordCipherTests.CreateCipher(suite), DtlsRecordCipherTests.CreateCipher(suite), 1, nextWriteSequence);
        var receiver = new DtlsRecordLayer(
            DtlsRecordCipherTests.CreateCipher(suite), DtlsRecordCipherTests.CreateCipher(suite), 1, 0);
        return new LayerPair(sender, receiver);
    }

    private readonly record struct LayerPair(DtlsRecordLayer Sender, DtlsRecordLayer Receiver) : IDisposable
    {
        public void Dispose()
        {
            Sender.Dispose();
            Receiver.Dispose();
        }
    }
}
