using System.Globalization;
using System.Net;
using Enslavism.WebRtc.Ice;

namespace Enslavism.WebRtc.Sdp;

/// <summary>
/// Tolerant line parser for the answer to a .NET offer (RFC 8866 syntax, CRLF or LF). Session- and media-level
/// attributes are both accepted (media level wins); only the first data section is read. Never throws on bad input.
/// </summary>
public static class SdpAnswerParser
{
    public static bool TryParse(string? sdp, out SdpAnswer? answer, out SdpError? error) =>
        TryParse(sdp, SdpParserOptions.Default, out answer, out error);

    public static bool TryParse(string? sdp, SdpParserOptions options, out SdpAnswer? answer, out SdpError? error)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        answer = null;
        sdp ??= string.Empty;
        if (sdp.Length > options.MaxInputChars)
        {
            error = new SdpError(SdpErrorReason.InputTooLarge, $"answer has {sdp.Length} characters");
            return false;
        }

        string? ufrag = null, pwd = null, setup = null;
        long? maxMessageSize = null;
        var sctpPort = 5000;
        var iceLite = false;
        var fingerprints = new List<SdpFingerprint>();
        var candidates = new List<IPEndPoint>();
        var inData = false;
        var sawData = false;
        var lineNumber = 0;
        foreach (var raw in sdp.Split('\n'))
        {
            lineNumber++;
            if (lineNumber > options.MaxLines)
            {
                error = new SdpError(SdpErrorReason.TooManyLines, $"more than {options.MaxLines} lines");
                return false;
            }

            var line = raw.TrimEnd('\r');
            if (line.Length > options.MaxLineLength)
            {
                error = new SdpError(SdpErrorReason.LineTooLong, "line too long", lineNumber);
                return false;
            }

            if (line.StartsWith("m=", StringComparison.Ordinal))
            {
                // Only the first accepted application section matters; later sections end it.
                inData = !sawData && line.StartsWith("m=application ", StringComparison.Ordinal) && !line.StartsWith("m=application 0 ", StringComparison.Ordinal);
                sawData |= inData;
                if (inData)
                {
                    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length >= 4 && parts[2] == "DTLS/SCTP" && int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var legacyPort))
                    {
                        sctpPort = legacyPort;
                    }
                }

                continue;
            }

            if (!line.StartsWith("a=", StringComparison.Ordinal) || (sawData && !inData))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = colon < 0 ? line[2..] : line[2..colon];
            var value = colon < 0 ? string.Empty : line[(colon + 1)..].Trim();
            switch (name)
            {
                case "ice-lite":
                    iceLite = true;
                    break;
                case "ice-ufrag":
                    ufrag = value;
                    break;
                case "ice-pwd":
                    pwd = value;
                    break;
                case "setup":
                    setup = value;
                    break;
                case "fingerprint" when SdpFingerprint.TryParse(value, out var fingerprint):
                    fingerprints.Add(fingerprint!);
                    break;
                case "sctp-port" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535:
                    sctpPort = port;
                    break;
                case "max-message-size" when long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var size):
                    maxMessageSize = size;
                    break;
                case "candidate" when inData && candidates.Count < options.MaxCandidates
                    && SdpCandidate.TryParse(value, out var candidate) && candidate!.Component == 1
                    && candidate.Transport == "udp" && candidate.Endpoint is { } endpoint && endpoint.Port > 0:
                    candidates.Add(endpoint);
                    break;
            }
        }

        error = Validate(sawData, ufrag, pwd, fingerprints, candidates);
        if (error is not null)
        {
            return false;
        }

        var role = setup switch
        {
            "active" => SdpSetupRole.Active,
            "passive" => SdpSetupRole.Passive,
            "actpass" => SdpSetupRole.ActPass,
            "holdconn" => SdpSetupRole.HoldConn,
            _ => SdpSetupRole.Unspecified,
        };
        if (role is SdpSetupRole.ActPass or SdpSetupRole.HoldConn)
        {
            // RFC 8842 §5.3: the answerer must pick active or passive.
            error = new SdpError(SdpErrorReason.UnsupportedSetupRole, $"answer a=setup:{setup}");
            return false;
        }

        answer = new SdpAnswer(ufrag!, pwd!, iceLite, fingerprints, role, candidates, sctpPort, maxMessageSize);
        return true;
    }

    private static SdpError? Validate(bool sawData, string? ufrag, string? pwd, List<SdpFingerprint> fingerprints, List<IPEndPoint> candidates)
    {
        if (!sawData)
        {
            return new SdpError(SdpErrorReason.NoDataChannelMedia, "no accepted m=application section");
        }

        if (ufrag is null)
        {
            return new SdpError(SdpErrorReason.MissingIceUfrag, "no a=ice-ufrag");
        }

        if (pwd is null)
        {
            return new SdpError(SdpErrorReason.MissingIcePwd, "no a=ice-pwd");
        }

        if (!IceCredentials.IsValidIceString(ufrag, IceCredentials.MinUfragLength) || !IceCredentials.IsValidIceString(pwd, IceCredentials.MinPasswordLength))
        {
            return new SdpError(SdpErrorReason.InvalidIceCredentials, "ice-ufrag/ice-pwd violate RFC 8839 §5.4");
        }

        if (!fingerprints.Exists(f => f.IsSha256 && f.Digest.Length == 32))
        {
            return new SdpError(SdpErrorReason.MissingSha256Fingerprint, "no well-formed sha-256 fingerprint");
        }

        return candidates.Count == 0 ? new SdpError(SdpErrorReason.NoUsableCandidate, "no UDP host candidate with a literal IP address") : null;
    }
}
