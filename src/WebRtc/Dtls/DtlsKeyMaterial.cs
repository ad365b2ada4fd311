using System.Security.Cryptography;

namespace Enslavism.WebRtc.Dtls;

/// <summary>
/// Write keys and implicit IVs of both directions, RFC 5246 §6.3: <c>key_block = PRF(master_secret, "key
/// expansion", server_random + client_random)</c>, split into client_write_key, server_write_key, client_write_IV,
/// server_write_IV (AEAD suites have zero-length MAC keys, RFC 5246 §6.2.3.3).
/// </summary>
internal sealed class DtlsKeyMaterial
{
    private DtlsKeyMaterial(byte[] clientWriteKey, byte[] serverWriteKey, byte[] clientWriteIv, byte[] serverWriteIv)
    {
        ClientWriteKey = clientWriteKey;
        ServerWriteKey = serverWriteKey;
        ClientWriteIv = clientWriteIv;
        ServerWriteIv = serverWriteIv;
    }

    public byte[] ClientWriteKey { get; }

    public byte[] ServerWriteKey { get; }

    public byte[] ClientWriteIv { get; }

    public byte[] ServerWriteIv { get; }

    /// <summary>Expands the 48-byte master secret with the two 32-byte hello randoms.</summary>
    public static DtlsKeyMaterial Derive(
        DtlsAeadSuite suite, ReadOnlySpan<byte> masterSecret, ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> serverRandom)
    {
        Span<byte> seed = stackalloc byte[serverRandom.Length + clientRandom.Length];
        serverRandom.CopyTo(seed);
        clientRandom.CopyTo(seed[serverRandom.Length..]);
        var block = new byte[suite.KeyBlockLength];
        DtlsPseudoRandomFunction.Compute(suite.PrfHash, masterSecret, "key expansion", seed, block);

        var rest = block.AsSpan();
        var clientKey = Take(ref rest, suite.KeyLength);
        var serverKey = Take(ref rest, suite.KeyLength);
        var clientIv = Take(ref rest, suite.FixedIvLength);
        var serverIv = Take(ref rest, suite.FixedIvLength);
        CryptographicOperations.ZeroMemory(block);
        return new DtlsKeyMaterial(clientKey, serverKey, clientIv, serverIv);
    }

    private static byte[] Take(ref Span<byte> rest, int length)
    {
        var part = rest[..length].ToArray();
        rest = rest[length..];
        return part;
    }
}
