namespace Enslavism.WebRtc.Stun;

/// <summary>STUN method numbers (RFC 8489 §18.1; IANA "STUN Methods").</summary>
public static class StunMethod
{
    /// <summary>Binding, the only method ICE connectivity checks use (RFC 8445 §7.1).</summary>
    public const ushort Binding = 0x001;
}
