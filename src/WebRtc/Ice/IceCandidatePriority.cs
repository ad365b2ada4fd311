namespace Enslavism.WebRtc.Ice;

/// <summary>Candidate priority formula, RFC 8445 §5.1.2.1.</summary>
public static class IceCandidatePriority
{
    /// <summary>Recommended type preference of host candidates (RFC 8445 §5.1.2.2).</summary>
    public const int HostTypePreference = 126;

    /// <summary>priority = 2^24 · type-pref + 2^8 · local-pref + (256 − component-id).</summary>
    public static uint Compute(int typePreference, int localPreference, int componentId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(typePreference);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(typePreference, 126);
        ArgumentOutOfRangeException.ThrowIfNegative(localPreference);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(localPreference, 65535);
        ArgumentOutOfRangeException.ThrowIfLessThan(componentId, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(componentId, 256);
        return (uint)((typePreference << 24) + (localPreference << 8) + (256 - componentId));
    }

    /// <summary>Priority of a host candidate for component 1 (the only component with rtcp-mux/BUNDLE data channels).</summary>
    public static uint Host(int localPreference = 65535) => Compute(HostTypePreference, localPreference, 1);
}
