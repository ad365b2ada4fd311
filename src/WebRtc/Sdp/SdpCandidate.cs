using System.Globalization;
using System.Net;

namespace Enslavism.WebRtc.Sdp;

/// <summary>
/// <c>a=candidate</c> line, RFC 8839 §5.1: foundation, component, transport, priority, address, port,
/// <c>typ</c> type, optional <c>raddr</c>/<c>rport</c>, then extensions (ignored). An ICE-lite agent does not
/// check remote candidates; they are parsed for logging and diagnostics. <see cref="Address"/> may be an mDNS
/// name (<c>….local</c>).
/// </summary>
public sealed record SdpCandidate(string Foundation, int Component, string Transport, uint Priority, string Address,
    int Port, string Type, string? RelatedAddress, int? RelatedPort)
{
    /// <summary>The endpoint when <see cref="Address"/> is a literal IP; null for mDNS names.</summary>
    public IPEndPoint? Endpoint => IPAddress.TryParse(Address, out var ip) ? new IPEndPoint(ip, Port) : null;

    /// <summary>Parses the value after <c>a=candidate:</c> (without that prefix).</summary>
    public static bool TryParse(string value, out SdpCandidate? candidate)
    {
        ArgumentNullException.ThrowIfNull(value);
        candidate = null;
        var p = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (p.Length < 8 || !string.Equals(p[6], "typ", StringComparison.Ordinal)
            || !int.TryParse(p[1], NumberStyles.None, CultureInfo.InvariantCulture, out var component) || component is < 1 or > 256
            || !uint.TryParse(p[3], NumberStyles.None, CultureInfo.InvariantCulture, out var priority)
            || !int.TryParse(p[5], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            return false;
        }

        string? relatedAddress = null;
        int? relatedPort = null;
        for (var i = 8; i + 1 < p.Length; i += 2)
        {
            if (p[i] == "raddr")
            {
                relatedAddress = p[i + 1];
            }
            else if (p[i] == "rport" && int.TryParse(p[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var rport))
            {
                relatedPort = rport;
            }
        }

        candidate = new SdpCandidate(p[0], component, p[2].ToLowerInvariant(), priority, p[4], port, p[7],
            relatedAddress, relatedPort);
        return true;
    }
}
