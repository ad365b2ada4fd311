using System.Buffers.Binary;
using Enslavism.WebRtc.Dtls;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Tls;

namespace Enslavism.WebRtc.Tests.Dtls;

/// <summary>Record protection with fixed keys: golden bytes per suite, an independent GCM check, tampering.</summary>
public sealed class DtlsRecordCipherTests
{
    private static readonly byte[] Plaintext = "hello, dtls 1.2"u8.ToArray();

    public static TheoryData<int, string> GoldenRecords => new()
    {
        { CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, Golden128 },
        { CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, Golden256 },
        { CipherSuite.DRAFT_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, GoldenChaCha },
    };

    private const string Golden128 = "17fefd000100000102030400270001000001020304809e0e8d3983e1b49a2d1c5db9245b9092f8676412d87fd2ed883127f776e6";
    private const string Golden256 = "17fefd00010000010203040027000100000102030489fbb5c62a7a50af9d5a4fd075bd603b8be523e29dea3199aeff61d28b4d89";
    private const string GoldenChaCha = "17fefd0001000001020304001f6c11cc6e5b21d8814fcb66d89a35734a8b60d0c0b931de5f7ee897002bfe03";

    [Theory]
    [MemberData(nameof(GoldenRecords))]
    public void Seal_FixedKeyIvAndSequence_ProducesGoldenRecord(int cipherSuite, string expectedHex)
    {
        using var cipher = CreateCipher(cipherSuite);
        var record = new byte[DtlsRecordHeader.Size + cipher.Overhead + Plaintext.Length];

        var length = cipher.Seal(DtlsContentType.ApplicationData, 1, 0x0000_0102_0304, Plaintext, record);

        Assert.Equal(record.Length, length);
        Assert.Equal(expectedHex, Convert.ToHexStringLower(record));
    }

    [Theory]
    [MemberData(nameof(GoldenRecords))]
    public void TryOpen_GoldenRecord_ReturnsPlaintext(int cipherSuite, string hex)
    {
        using var cipher = CreateCipher(cipherSuite);
        var record = Convert.FromHexString(hex);
        Assert.True(DtlsRecordHeader.TryParse(record, out var header, out _));
        var plaintext = new byte[header.Length - cipher.Overhead];

        Assert.True(cipher.TryOpen(header, record.AsSpan(DtlsRecordHeader.Size), plaintext));
        Assert.Equal(Plaintext, plaintext);
    }

    [Theory]
    [InlineData(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)]
    [InlineData(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384)]
    public void Seal_AesGcm_MatchesBouncyCastleGcmWithRfc5288NonceAndRfc6347Aad(int cipherSuite)
    {
        Assert.True(DtlsAeadSuite.TryGet(cipherSuite, out var suite));
        using var cipher = CreateCipher(cipherSuite);
        var record = new byte[DtlsRecordHeader.Size + cipher.Overhead + Plaintext.Length];
        cipher.Seal(DtlsContentType.ApplicationData, 1, 0x0000_0102_0304, Plaintext, record);

        // Independent construction: nonce = salt || epoch||seq, AAD = epoch||seq || type || version || length.
        var epochAndSequence = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(epochAndSequence, (1UL << 48) | 0x0102_0304);
        byte[] nonce = [.. Iv(suite.FixedIvLength), .. epochAndSequence];
        byte[] aad = [.. epochAndSequence, 23, 0xFE, 0xFD, 0, (byte)Plaintext.Length];
        var gcm = new GcmBlockCipher(new AesEngine());
        gcm.Init(true, new AeadParameters(new KeyParameter(Key(suite.KeyLength)), 128, nonce, aad));
        var expected = new byte[gcm.GetOutputSize(Plaintext.Length)];
        var n = gcm.ProcessBytes(Plaintext, 0, Plaintext.Length, expected, 0);
        gcm.DoFinal(expected, n);

        Assert.Equal(epochAndSequence, record[13..21]); // the explicit nonce on the wire
        Assert.Equal(expected, record[21..]);
    }

    [Fact]
    public void Seal_ChaCha20Poly1305_MatchesBouncyCastleChaCha7539AndPoly1305WithRfc7905Nonce()
    {
        Assert.True(DtlsAeadSuite.TryGet(CipherSuite.DRAFT_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, out var suite));
        using var cipher = CreateCipher(suite.CipherSuite);
        var record = new byte[DtlsRecordHeader.Size + cipher.Overhead + Plaintext.Length];
        cipher.Seal(DtlsContentType.ApplicationData, 1, 0x0000_0102_0304, Plaintext, record);

        // RFC 7905 §2: nonce = IV XOR (0^32 || epoch||seq); RFC 8439 §2.8 AEAD built from BC's primitives.
        var nonce = Iv(12);
        var epochAndSequence = (1UL << 48) | 0x0102_0304;
        BinaryPrimitives.WriteUInt64BigEndian(nonce.AsSpan(4), BinaryPrimitives.ReadUInt64BigEndian(nonce.AsSpan(4)) ^ epochAndSequence);
        var aad = new byte[13];
        BinaryPrimitives.WriteUInt64BigEndian(aad, epochAndSequence);
        aad[8] = 23;
        aad[9] = 0xFE;
        aad[10] = 0xFD;
        aad[12] = (byte)Plaintext.Length;
        var chacha = new ChaCha7539Engine();
        chacha.Init(true, new ParametersWithIV(new KeyParameter(Key(32)), nonce));
        var block0 = new byte[64];
        chacha.ProcessBytes(new byte[64], 0, 64, block0, 0);
        var ciphertext = new byte[Plaintext.Length];
        chacha.ProcessBytes(Plaintext, 0, Plaintext.Length, ciphertext, 0);
        var poly = new Org.BouncyCastle.Crypto.Macs.Poly1305();
        poly.Init(new KeyParameter(block0[..32]));
        byte[] macInput =
        [
            .. aad, .. new byte[(16 - (aad.Length % 16)) % 16],
            .. ciphertext, .. new byte[(16 - (ciphertext.Length % 16)) % 16],
            .. BitConverter.GetBytes((ulong)aad.Length), .. BitConverter.GetBytes((ulong)ciphertext.Length),
        ];
        poly.BlockUpdate(macInput, 0, macInput.Length);
        var tag = new byte[16];
        poly.DoFinal(tag, 0);

        Assert.Equal([.. ciphertext, .. tag], record[13..]);
    }

    [Theory]
    [InlineData(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)]
    [InlineData(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384)]
    [InlineData(CipherSuite.DRAFT_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256)]
    public void TryOpen_AnyFlippedBit_IsRejected(int cipherSuite)
    {
        // Header bytes are authenticated through the AAD (type, version, epoch, sequence, length) and the rest by the tag.
        using var cipher = CreateCipher(cipherSuite);
        var record = new byte[DtlsRecordHeader.Size + cipher.Overhead + Plaintext.Length];
        cipher.Seal(DtlsContentType.ApplicationData, 1, 77, Plaintext, record);
        var plaintext = new byte[Plaintext.Length];
        for (var i = 0; i < record.Length; i++)
        {
            if (i is 11 or 12)
            {
                continue; // a changed length no longer frames the same fragment; covered by the record layer
            }

            var mutated = (byte[])record.Clone();
            mutated[i] ^= 0x08;
            Assert.True(DtlsRecordHeader.TryParse(mutated, out var header, out _) || i < 3);
            if (i >= 3)
            {
                Assert.False(cipher.TryOpen(header, mutated.AsSpan(DtlsRecordHeader.Size), plaintext), $"byte {i}");
            }
        }
    }

    [Fact]
    public void Seal_SameRecordTwiceWithDifferentSequence_UsesDifferentNonces()
    {
        using var cipher = CreateCipher(CipherSuite.DRAFT_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256);
        var a = new byte[DtlsRecordHeader.Size + cipher.Overhead + Plaintext.Length];
        var b = new byte[a.Length];
        cipher.Seal(DtlsContentType.ApplicationData, 1, 1, Plaintext, a);
        cipher.Seal(DtlsContentType.ApplicationData, 1, 2, Plaintext, b);

        Assert.NotEqual(a[13..], b[13..]);
    }

    internal static DtlsRecordCipher CreateCipher(int cipherSuite)
    {
        Assert.True(DtlsAeadSuite.TryGet(cipherSuite, out var suite));
        return DtlsRecordCipher.Create(suite, Key(suite.KeyLength), Iv(suite.FixedIvLength));
    }

    private static byte[] Key(int length) => [.. Enumerable.Range(0, length).Select(i => (byte)i)];

    private static byte[] Iv(int length) => [.. Enumerable.Range(0, length).Select(i => (byte)(0xA0 + i))];
}
