namespace Enslavism.WebRtc.Stun;

/// <summary>
/// One attribute of a parsed <see cref="StunMessage"/> (RFC 8489 §14): its type and where its value lies in
/// <see cref="StunMessage.Bytes"/>. Padding is not part of <see cref="Length"/> and its content is ignored.
/// </summary>
public readonly record struct StunAttribute(ushort Type, int HeaderOffset, int Length)
{
    /// <summary>Offset of the value (just after the 4-byte attribute header).</summary>
    public int ValueOffset => HeaderOffset + 4;
}
