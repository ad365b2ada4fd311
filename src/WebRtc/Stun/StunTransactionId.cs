using System.Buffers.Binary;
using Enslavism.WebRtc.Core;

namespace Enslavism.WebRtc.Stun;

/// <summary>96-bit STUN transaction id (RFC 8489 §5), stored as two integers so it is a cheap value type.</summary>
public readonly record struct StunTransactionId(ulong High, uint Low)
{
    public const int Length = 12;

    public static StunTransactionId Read(ReadOnlySpan<byte> source) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(source), BinaryPrimitives.ReadUInt32BigEndian(source[8..]));

    public static StunTransactionId Create(IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Span<byte> bytes = stackalloc byte[Length];
        random.Fill(bytes);
        return Read(bytes);
    }

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, High);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], Low);
    }

    public override string ToString() => $"{High:x16}{Low:x8}";
}
