using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Enslavism.WebRtc.Ice;

namespace Enslavism.WebRtc.Sdp;

/// <summary>
/// Builds the answer to an <see cref="SdpOffer"/> in the shape verified with Chromium, libwebrtc, libdatachannel,
/// aiortc, werift and pion (webrtc-stack.md §3.1): session-level <c>a=ice-lite</c> (we are controlled, RFC 8839
/// §5.3), <c>a=setup:passive</c> (we are the DTLS server, RFC 8842 §5), our sha-256 fingerprint, the offer's mid
/// echoed and BUNDLE-d when the offer bundles it (RFC 9143), <c>a=sctp-port</c>/<c>a=max-message-size</c> (RFC 8841), all host candidates
/// and <c>a=end-of-candidates</c> (RFC 8840: a lite server knows its candidates up front). Other offered
/// m-lines are rejected with port 0, in order (RFC 3264 §6). Lines end with CRLF (RFC 8866 §5).
/// </summary>
public static class SdpAnswerBuilder
{
    /// <param name="sessionId">o= session id; random per answer, only its low 62 bits are used (keeps it a positive int64).</param>
    /// <param name="sessionVersion">o= version; bump it when re-answering (ICE restart).</param>
    public static string Build(SdpOffer offer, IceCredentials localCredentials, SdpAnswerOptions options,
        ulong sessionId, ulong sessionVersion = 2)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(localCredentials);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var addresses = options.Candidates.Select(c => new IPEndPoint(Normalize(c.Address), c.Port)).ToList();
        var first = addresses[0];
        var sb = new StringBuilder(1024);
        Line(sb, "v=0");
        Line(sb, $"o=- {sessionId & 0x3FFF_FFFF_FFFF_FFFF} {sessionVersion} IN {AddressType(first.Address)} {first.Address}");
        Line(sb, "s=-");
        Line(sb, "t=0 0");
        // Echo BUNDLE with the accepted mid only when the offer bundled it: an answer may not create a group the
        // offer did not propose (RFC 9143 §7.3). Every browser offer captured so far (max-bundle) has one.
        if (offer.Mid is { } mid && offer.BundleMids.Contains(mid))
        {
            Line(sb, $"a=group:BUNDLE {mid}");
        }

        Line(sb, "a=msid-semantic: WMS");
        Line(sb, "a=ice-lite");
        for (var i = 0; i < offer.MediaSections.Count; i++)
        {
            if (i == offer.DataMediaIndex)
            {
                AppendDataSection(sb, offer, localCredentials, options, addresses);
            }
            else
            {
                AppendRejectedSection(sb, offer.MediaSections[i]);
            }
        }

        return sb.ToString();
    }

    private static void AppendDataSection(StringBuilder sb, SdpOffer offer, IceCredentials credentials,
        SdpAnswerOptions options, List<IPEndPoint> addresses)
    {
        var first = addresses[0];
        var sctpPort = options.SctpPort.ToString(CultureInfo.InvariantCulture);

        // The answer's proto must match the offer's (RFC 3264 §6); legacy offers get the legacy form back.
        Line(sb, offer.IsLegacySctp
            ? $"m=application {first.Port} DTLS/SCTP {sctpPort}"
            : $"m=application {first.Port} UDP/DTLS/SCTP webrtc-datachannel");
        Line(sb, $"c=IN {AddressType(first.Address)} {first.Address}");
        if (offer.Mid is { } mid)
        {
            Line(sb, $"a=mid:{mid}");
        }

        Line(sb, $"a=ice-ufrag:{credentials.Ufrag}");
        Line(sb, $"a=ice-pwd:{credentials.Password}");
        Line(sb, $"a=fingerprint:sha-256 {SdpFingerprint.FormatDigest(options.CertificateSha256)}");
        Line(sb, "a=setup:passive");
        Line(sb, offer.IsLegacySctp ? $"a=sctpmap:{sctpPort} webrtc-datachannel 65535" : $"a=sctp-port:{sctpPort}");
        Line(sb, $"a=max-message-size:{options.MaxMessageSize}");
        for (var i = 0; i < addresses.Count; i++)
        {
            var priority = IceCandidatePriority.Host(65535 - i);
            Line(sb, $"a=candidate:{i + 1} 1 udp {priority} {addresses[i].Address} {addresses[i].Port} typ host generation 0");
        }

        Line(sb, "a=end-of-candidates");
    }

    private static void AppendRejectedSection(StringBuilder sb, SdpMediaDescription media)
    {
        var formats = media.Formats.Count == 0 ? "0" : string.Join(' ', media.Formats);
        Line(sb, $"m={media.Media} 0 {media.Protocol} {formats}");
        Line(sb, "c=IN IP4 0.0.0.0");
        if (media.Mid is { } mid)
        {
            Line(sb, $"a=mid:{mid}");
        }

        Line(sb, "a=inactive");
    }

    private static IPAddress Normalize(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        // A scope id ("%eth0") means nothing to the remote side.
        return address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0
            ? new IPAddress(address.GetAddressBytes())
            : address;
    }

    private static string AddressType(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? "IP6" : "IP4";

    private static void Line(StringBuilder sb, string line) => sb.Append(line).Append("\r\n");
}
