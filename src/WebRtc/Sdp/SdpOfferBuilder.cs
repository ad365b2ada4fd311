using System.Globalization;
using System.Text;
using Enslavism.WebRtc.Ice;

namespace Enslavism.WebRtc.Sdp;

/// <summary>
/// Builds a data-channel-only offer for a .NET offerer (RFC 8829 §5.2, RFC 8841): one bundled
/// <c>m=application 9 UDP/DTLS/SCTP webrtc-datachannel</c> section with mid 0, <c>a=setup:actpass</c>
/// (RFC 8842 §5.2), our sha-256 fingerprint, ICE credentials, <c>a=sctp-port</c> and <c>a=max-message-size</c>.
/// No candidates: the answerer is ICE-lite and only answers our checks, so it never needs our addresses.
/// Lines end with CRLF.
/// </summary>
public static class SdpOfferBuilder
{
    public static string Build(IceCredentials localCredentials, ReadOnlySpan<byte> certificateSha256, ulong sessionId,
        int sctpPort = 5000, long maxMessageSize = SdpAnswerOptions.MinMaxMessageSize)
    {
        ArgumentNullException.ThrowIfNull(localCredentials);
        if (certificateSha256.Length != 32)
        {
            throw new ArgumentException("the certificate SHA-256 digest must be 32 bytes", nameof(certificateSha256));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(sctpPort, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sctpPort, 65535);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageSize, 1);
        var sb = new StringBuilder(512);
        Line(sb, "v=0");
        Line(sb, $"o=- {(sessionId & 0x3FFF_FFFF_FFFF_FFFF).ToString(CultureInfo.InvariantCulture)} 2 IN IP4 127.0.0.1");
        Line(sb, "s=-");
        Line(sb, "t=0 0");
        Line(sb, "a=group:BUNDLE 0");
        Line(sb, "a=msid-semantic: WMS");
        Line(sb, "m=application 9 UDP/DTLS/SCTP webrtc-datachannel");
        Line(sb, "c=IN IP4 0.0.0.0");
        Line(sb, "a=mid:0");
        Line(sb, $"a=ice-ufrag:{localCredentials.Ufrag}");
        Line(sb, $"a=ice-pwd:{localCredentials.Password}");
        Line(sb, "a=ice-options:trickle");
        Line(sb, $"a=fingerprint:sha-256 {SdpFingerprint.FormatDigest(certificateSha256)}");
        Line(sb, "a=setup:actpass");
        Line(sb, $"a=sctp-port:{sctpPort.ToString(CultureInfo.InvariantCulture)}");
        Line(sb, $"a=max-message-size:{maxMessageSize.ToString(CultureInfo.InvariantCulture)}");
        return sb.ToString();
    }

    private static void Line(StringBuilder sb, string line) => sb.Append(line).Append("\r\n");
}
