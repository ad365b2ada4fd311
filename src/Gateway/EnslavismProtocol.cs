namespace Enslavism.Gateway;

/// <summary>
/// Signaling protocol versions, negotiated with Sec-WebSocket-Protocol. A peer that offers no subprotocol (every
/// Enslavism 0.9 peer) speaks version 1.
/// </summary>
public static class EnslavismProtocol
{
    public const string V1 = "enslavism.v1";

    public const string V2 = "enslavism.v2";

    /// <summary>
    /// Picks the version for the offered subprotocols: the highest known one, or 1 with no subprotocol when none is
    /// offered. Returns false when only unknown subprotocols are offered.
    /// </summary>
    public static bool TryNegotiate(IList<string> offered, out int version, out string? subProtocol)
    {
        ArgumentNullException.ThrowIfNull(offered);
        if (offered.Count == 0)
        {
            (version, subProtocol) = (1, null);
            return true;
        }

        if (offered.Contains(V2, StringComparer.Ordinal))
        {
            (version, subProtocol) = (2, V2);
            return true;
        }

        if (offered.Contains(V1, StringComparer.Ordinal))
        {
            (version, subProtocol) = (1, V1);
            return true;
        }

        (version, subProtocol) = (0, null);
        return false;
    }
}
