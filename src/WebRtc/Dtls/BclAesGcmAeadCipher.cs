using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace Enslavism.WebRtc.Dtls;

/// <summary>
/// AES-GCM for BouncyCastle's TLS record layer (RFC 5288 suites), backed by the BCL <see cref="AesGcm"/> (AES-NI /
/// platform crypto) instead of BC's managed GCM: about four times faster per record (webrtc-stack.md V4).
/// </summary>
/// <remarks>
/// BC drives an AEAD cipher as Init(key, once) → per record Init(null key, nonce, aad) → ProcessBytes → DoFinal.
/// <see cref="AesGcm"/> is one-shot, so input is buffered and the whole operation happens in <see cref="DoFinal"/>;
/// ProcessBytes therefore produces no output, which BC's <c>TlsAeadCipher</c> accounts for by summing both returns.
/// An authentication failure must surface as <see cref="InvalidCipherTextException"/> so BC maps it to bad_record_mac.
/// Not thread-safe; BC uses one instance per direction and epoch.
/// </remarks>
internal sealed class BclAesGcmAeadCipher : IAeadBlockCipher, IDisposable
{
    private const int BlockSize = 16;

    private AesGcm? _aes;
    private int _tagSize = 16;
    private bool _forEncryption;
    private byte[] _nonce = [];
    private byte[] _associatedData = [];
    private byte[] _buffer = new byte[2048];
    private int _buffered;
    private byte[] _lastTag = [];

    public string AlgorithmName => "AES/GCM";

    public IBlockCipher GetUnderlyingCipher() =>
        throw new NotSupportedException("The BCL AES-GCM cipher has no separately usable block cipher.");

    public int GetBlockSize() => BlockSize;

    public void Init(bool forEncryption, ICipherParameters parameters)
    {
        _forEncryption = forEncryption;
        byte[]? key;
        switch (parameters)
        {
            case AeadParameters aead:
                key = aead.Key?.GetKey();
                _tagSize = aead.MacSize / 8;
                _nonce = aead.GetNonce();
                _associatedData = aead.GetAssociatedText() ?? [];
                break;
            case ParametersWithIV withIv:
                key = (withIv.Parameters as KeyParameter)?.GetKey();
                _tagSize = 16;
                _nonce = withIv.GetIV();
                _associatedData = [];
                break;
            default:
                throw new ArgumentException("AES-GCM needs AeadParameters or ParametersWithIV.", nameof(parameters));
        }

        // BC re-initialises with a null key for every record: keep the key schedule from the first Init.
        if (key is not null)
        {
            _aes?.Dispose();
            _aes = new AesGcm(key, _tagSize);
        }
        else if (_aes is null)
        {
            throw new ArgumentException("AES-GCM initialised without a key.", nameof(parameters));
        }

        _buffered = 0;
    }

    public void ProcessAadByte(byte input) => _associatedData = [.. _associatedData, input];

    public void ProcessAadBytes(byte[] inBytes, int inOff, int len) =>
        _associatedData = [.. _associatedData, .. inBytes.AsSpan(inOff, len)];

    public int ProcessByte(byte input, byte[] outBytes, int outOff)
    {
        EnsureCapacity(1);
        _buffer[_buffered++] = input;
        return 0;
    }

    public int ProcessBytes(byte[] inBytes, int inOff, int len, byte[] outBytes, int outOff)
    {
        EnsureCapacity(len);
        Buffer.BlockCopy(inBytes, inOff, _buffer, _buffered, len);
        _buffered += len;
        return 0;
    }

    public int DoFinal(byte[] outBytes, int outOff)
    {
        var aes = _aes ?? throw new InvalidOperationException("AES-GCM not initialised.");
        var input = _buffer.AsSpan(0, _buffered);
        _buffered = 0;
        if (_forEncryption)
        {
            var ciphertext = outBytes.AsSpan(outOff, input.Length);
            var tag = outBytes.AsSpan(outOff + input.Length, _tagSize);
            aes.Encrypt(_nonce, input, ciphertext, tag, _associatedData);
            _lastTag = tag.ToArray();
            return input.Length + _tagSize;
        }

        if (input.Length < _tagSize)
        {
            throw new InvalidCipherTextException("data too short");
        }

        var cipherLength = input.Length - _tagSize;
        try
        {
            aes.Decrypt(
                _nonce,
                input[..cipherLength],
                input.Slice(cipherLength, _tagSize),
                outBytes.AsSpan(outOff, cipherLength),
                _associatedData);
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new InvalidCipherTextException("mac check in GCM failed", ex);
        }
        catch (CryptographicException ex)
        {
            throw new InvalidCipherTextException("GCM decryption failed", ex);
        }

        _lastTag = input.Slice(cipherLength, _tagSize).ToArray();
        return cipherLength;
    }

    public byte[] GetMac() => (byte[])_lastTag.Clone();

    public int GetUpdateOutputSize(int len) => 0;

    public int GetOutputSize(int len) =>
        _forEncryption ? _buffered + len + _tagSize : Math.Max(0, _buffered + len - _tagSize);

    public void Reset() => _buffered = 0;

    public void Dispose()
    {
        _aes?.Dispose();
        _aes = null;
    }

    private void EnsureCapacity(int extra)
    {
        if (_buffered + extra > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _buffered + extra));
        }
    }
}
