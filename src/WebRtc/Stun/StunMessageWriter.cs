using System.Buffers.Binary;

namespace Enslavism.WebRtc.Stun;

/// <summary>
/// Builds one STUN message (RFC 8489 §5/§14): header, attributes padded with zeros to 4 bytes, then optionally
/// MESSAGE-INTEGRITY and FINGERPRINT, which must come last and in that order. The header length is kept current
/// after every append, which is what the MI and FINGERPRINT computations rely on.
/// </summary>
public sealed class StunMessageWriter
{
    private byte[] _buffer;
    private int _length;
    private bool _hasIntegrity;
    private bool _hasFingerprint;

    public StunMessageWriter(StunMessageClass messageClass, ushort method, StunTransactionId transactionId,
        int initialCapacity = 128)
    {
        if (method > 0xFFF)
        {
            throw new ArgumentOutOfRangeException(nameof(method), method, "STUN methods are 12 bits");
        }

        _buffer = new byte[Math.Max(initialCapacity, StunMessage.HeaderLength)];
        BinaryPrimitives.WriteUInt16BigEndian(_buffer, StunMessage.EncodeType(messageClass, method));
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(4), StunMessage.MagicCookie);
        transactionId.Write(_buffer.AsSpan(8));
        _length = StunMessage.HeaderLength;
    }

    /// <summary>Bytes written so far (a complete message after each call).</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public int Length => _length;

    public byte[] ToArray() => Written.ToArray();

    public void AddAttribute(ushort type, ReadOnlySpan<byte> value) => value.CopyTo(AddAttribute(type, value.Length));

    /// <summary>Appends an attribute header and returns the (zeroed) value span for the caller to fill.</summary>
    public Span<byte> AddAttribute(ushort type, int valueLength)
    {
        if (_hasFingerprint || (_hasIntegrity && type != StunAttributeType.Fingerprint))
        {
            throw new InvalidOperationException("no attribute may follow MESSAGE-INTEGRITY except FINGERPRINT, nor follow FINGERPRINT");
        }

        var padded = (valueLength + 3) & ~3;
        if (valueLength is < 0 or > 0xFFFF || _length - StunMessage.HeaderLength + 4 + padded > 0xFFFF)
        {
            throw new ArgumentOutOfRangeException(nameof(valueLength), valueLength, "attribute does not fit in a STUN message");
        }

        EnsureCapacity(_length + 4 + padded);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(_length), type);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(_length + 2), (ushort)valueLength);
        var value = _buffer.AsSpan(_length + 4, padded);
        value.Clear();
        _length += 4 + padded;
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(2), (ushort)(_length - StunMessage.HeaderLength));
        return value[..valueLength];
    }

    /// <summary>Appends MESSAGE-INTEGRITY (HMAC-SHA1, RFC 8489 §14.5) keyed with <paramref name="key"/>.</summary>
    public void AddMessageIntegrity(ReadOnlySpan<byte> key)
    {
        var start = _length;
        var value = AddAttribute(StunAttributeType.MessageIntegrity, MessageIntegrity.ValueLength);
        MessageIntegrity.Compute(_buffer.AsSpan(0, start), key, value);
        _hasIntegrity = true;
    }

    /// <summary>Appends FINGERPRINT (CRC-32 xor 0x5354554E, RFC 8489 §14.7); must be the last attribute.</summary>
    public void AddFingerprint()
    {
        var start = _length;
        var value = AddAttribute(StunAttributeType.Fingerprint, Fingerprint.ValueLength);
        BinaryPrimitives.WriteUInt32BigEndian(value, Fingerprint.Compute(_buffer.AsSpan(0, start)));
        _hasFingerprint = true;
    }

    private void EnsureCapacity(int size)
    {
        if (size > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(size, _buffer.Length * 2));
        }
    }
}
