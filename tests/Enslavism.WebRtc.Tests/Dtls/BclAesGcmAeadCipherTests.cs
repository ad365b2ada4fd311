using Enslavism.WebRtc.Dtls;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace Enslavism.WebRtc.Tests.Dtls;

public sealed class BclAesGcmAeadCipherTests
{
    // McGrew & Viega, "The Galois/Counter Mode of Operation", test case 4 (AES-128, 60-byte plaintext, 20-byte AAD).
    private static readonly byte[] Key = Convert.FromHexString("feffe9928665731c6d6a8f9467308308");
    private static readonly byte[] Iv = Convert.FromHexString("cafebabefacedbaddecaf888");
    private static readonly byte[] Aad = Convert.FromHexString("feedfacedeadbeeffeedfacedeadbeefabaddad2");
    private static readonly byte[] Plaintext = Convert.FromHexString(
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
    private static readonly byte[] CiphertextAndTag = Convert.FromHexString(
        "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"
        + "5bc94fbc3221a5db94fae95ae7121a47");

    [Fact]
    public void Encrypt_GcmSpecTestCase4_MatchesVector()
    {
        using var cipher = new BclAesGcmAeadCipher();
        cipher.Init(true, new AeadParameters(new KeyParameter(Key), 128, Iv, Aad));
        var output = new byte[cipher.GetOutputSize(Plaintext.Length)];
        var n = cipher.ProcessBytes(Plaintext, 0, Plaintext.Length, output, 0);
        n += cipher.DoFinal(output, n);

        Assert.Equal(CiphertextAndTag.Length, n);
        Assert.Equal(CiphertextAndTag, output);
        Assert.Equal(CiphertextAndTag[^16..], cipher.GetMac());
    }

    [Fact]
    public void Decrypt_GcmSpecTestCase4_MatchesVector()
    {
        using var cipher = new BclAesGcmAeadCipher();
        cipher.Init(false, new AeadParameters(new KeyParameter(Key), 128, Iv, Aad));
        var output = new byte[cipher.GetOutputSize(CiphertextAndTag.Length)];
        var n = cipher.ProcessBytes(CiphertextAndTag, 0, CiphertextAndTag.Length, output, 0);
        n += cipher.DoFinal(output, n);

        Assert.Equal(Plaintext, output[..n]);
    }

    [Fact]
    public void RoundTrip_AgainstBouncyCastleGcm_BothDirectionsWithKeyReuse()
    {
        var random = new Random(5);
        var key = new byte[16];
        random.NextBytes(key);
        using var ours = new BclAesGcmAeadCipher();
        var theirs = new GcmBlockCipher(new AesEngine());
        ours.Init(true, new AeadParameters(new KeyParameter(key), 128, new byte[12]));
        theirs.Init(false, new AeadParameters(new KeyParameter(key), 128, new byte[12]));

        for (var i = 0; i < 200; i++)
        {
            var nonce = new byte[12];
            var aad = new byte[13];
            var plaintext = new byte[random.Next(0, 1500)];
            random.NextBytes(nonce);
            random.NextBytes(aad);
            random.NextBytes(plaintext);
            var forward = i % 2 == 0;
            IAeadCipher encryptor = forward ? ours : theirs;
            IAeadCipher decryptor = forward ? theirs : ours;

            // Per-record re-initialisation with a null key, exactly as BC's TlsAeadCipher does.
            encryptor.Init(true, new AeadParameters(null, 128, nonce, aad));
            var sealedBytes = new byte[encryptor.GetOutputSize(plaintext.Length)];
            var n = encryptor.ProcessBytes(plaintext, 0, plaintext.Length, sealedBytes, 0);
            n += encryptor.DoFinal(sealedBytes, n);

            decryptor.Init(false, new AeadParameters(null, 128, nonce, aad));
            var opened = new byte[decryptor.GetOutputSize(n)];
            var m = decryptor.ProcessBytes(sealedBytes, 0, n, opened, 0);
            m += decryptor.DoFinal(opened, m);

            Assert.Equal(plaintext, opened[..m]);
        }
    }

    [Fact]
    public void Decrypt_TamperedOrTruncated_ThrowsInvalidCipherText()
    {
        using var cipher = new BclAesGcmAeadCipher();
        var tampered = (byte[])CiphertextAndTag.Clone();
        tampered[3] ^= 1;
        cipher.Init(false, new AeadParameters(new KeyParameter(Key), 128, Iv, Aad));
        var output = new byte[128];
        cipher.ProcessBytes(tampered, 0, tampered.Length, output, 0);
        Assert.Throws<InvalidCipherTextException>(() => cipher.DoFinal(output, 0));

        cipher.Init(false, new AeadParameters(null, 128, Iv, Aad));
        cipher.ProcessBytes(CiphertextAndTag, 0, 10, output, 0);
        Assert.Throws<InvalidCipherTextException>(() => cipher.DoFinal(output, 0));
    }

    [Fact]
    public void Init_WithoutAnyKey_Throws()
    {
        using var cipher = new BclAesGcmAeadCipher();
        Assert.Throws<ArgumentException>(() => cipher.Init(true, new AeadParameters(null, 128, Iv)));
    }
}
