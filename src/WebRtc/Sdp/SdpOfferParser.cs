using System.Globalization;
using Enslavism.WebRtc.Ice;

namespace Enslavism.WebRtc.Sdp;

/// <summary>
/// Line-based, tolerant parser for browser offers (RFC 8866 syntax; CRLF or LF; unknown lines and attributes are
/// skipped). Produces an <see cref="SdpOffer"/> or a typed <see cref="SdpError"/>; never throws on bad input.
/// </summary>
public static class SdpOfferParser
{
    public static bool TryParse(string? sdp, out SdpOffer? offer, out SdpError? error) =>
        TryParse(sdp, SdpParserOptions.Default, out offer, out error);

    public static bool TryParse(string? sdp, SdpParserOptions options, out SdpOffer? offer, out SdpError? error)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        offer = null;
        error = Parse(sdp ?? string.Empty, options, out var result);
        offer = result;
        return error is null;
    }

    private static SdpError? Parse(string sdp, SdpParserOptions options, out SdpOffer? offer)
    {
        offer = null;
        if (sdp.Length > options.MaxInputChars)
        {
            return new SdpError(SdpErrorReason.InputTooLarge, $"offer has {sdp.Length} characters, limit {options.MaxInputChars}");
        }

        var session = new Section(null, 0);
        var sections = new List<Section>();
        var current = session;
        var lineNumber = 0;
        var sawVersion = false;
        foreach (var rawLine in sdp.Split('\n'))
        {
            lineNumber++;
            if (lineNumber > options.MaxLines)
            {
                return new SdpError(SdpErrorReason.TooManyLines, $"more than {options.MaxLines} lines");
            }

            var line = rawLine.EndsWith('\r') ? rawLine[..^1] : rawLine;
            if (line.Length == 0)
            {
                continue;
            }

            if (line.Length > options.MaxLineLength)
            {
                return new SdpError(SdpErrorReason.LineTooLong, $"line longer than {options.MaxLineLength} characters", lineNumber);
            }

            if (line.Length < 2 || line[1] != '=' || !char.IsAsciiLetterLower(line[0]))
            {
                return new SdpError(SdpErrorReason.MalformedLine, "expected <letter>=<value>", lineNumber);
            }

            var value = line[2..];
            if (!sawVersion)
            {
                if (line[0] != 'v')
                {
                    return new SdpError(SdpErrorReason.MissingVersion, "the first line must be v=0", lineNumber);
                }

                if (value.Trim() != "0")
                {
                    return new SdpError(SdpErrorReason.UnsupportedVersion, $"v={value} is not 0", lineNumber);
                }

                sawVersion = true;
                continue;
            }

            switch (line[0])
            {
                case 'o' when current == session:
                    session.Origin = value;
                    break;
                case 'm':
                    if (sections.Count >= options.MaxMediaSections)
                    {
                        return new SdpError(SdpErrorReason.TooManyMediaSections, $"more than {options.MaxMediaSections} m= lines", lineNumber);
                    }

                    current = new Section(value, lineNumber);
                    sections.Add(current);
                    break;
                case 'c':
                    current.Connection = value;
                    break;
                case 'a':
                    var colon = value.IndexOf(':', StringComparison.Ordinal);
                    current.Attributes.Add(colon < 0 ? (value, string.Empty, lineNumber) : (value[..colon], value[(colon + 1)..], lineNumber));
                    break;
                default:
                    break;
            }
        }

        if (!sawVersion)
        {
            return new SdpError(SdpErrorReason.MissingVersion, "the offer is empty");
        }

        return Interpret(session, sections, options, out offer);
    }

    private static SdpError? Interpret(Section session, List<Section> sections, SdpParserOptions options, out SdpOffer? offer)
    {
        offer = null;
        var media = new List<SdpMediaDescription>(sections.Count);
        var dataIndex = -1;
        SdpError? rejected = null;
        for (var i = 0; i < sections.Count; i++)
        {
            var s = sections[i];
            var parts = s.MediaLine!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var port = parts.Length > 1 && int.TryParse(parts[1].Split('/')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= 65535 ? p : -1;
            var description = new SdpMediaDescription(
                parts.Length > 0 ? parts[0] : string.Empty,
                port,
                parts.Length > 2 ? parts[2] : string.Empty,
                parts.Length > 3 ? parts[3..] : [],
                s.Get("mid"),
                s.Has("bundle-only"));
            media.Add(description);
            if (dataIndex < 0 && IsDataChannel(description, s))
            {
                if (port < 0)
                {
                    return new SdpError(SdpErrorReason.MalformedLine, "m= line has no valid port", s.Line);
                }

                if (port == 0 && !description.BundleOnly)
                {
                    rejected ??= new SdpError(SdpErrorReason.DataChannelRejected, "the data m-line has port 0", s.Line);
                    continue;
                }

                dataIndex = i;
            }
        }

        if (dataIndex < 0)
        {
            return rejected ?? new SdpError(SdpErrorReason.NoDataChannelMedia,
                "no m=application section with UDP/DTLS/SCTP webrtc-datachannel (or DTLS/SCTP + sctpmap)");
        }

        var data = sections[dataIndex];
        var dataMedia = media[dataIndex];
        if (session.Has("ice-lite"))
        {
            return new SdpError(SdpErrorReason.RemoteIceLite, "the offerer is ICE-lite too; nobody would send checks");
        }

        var ufrag = data.Get("ice-ufrag") ?? session.Get("ice-ufrag");
        var pwd = data.Get("ice-pwd") ?? session.Get("ice-pwd");
        if (string.IsNullOrEmpty(ufrag))
        {
            return new SdpError(SdpErrorReason.MissingIceUfrag, "no a=ice-ufrag at media or session level");
        }

        if (string.IsNullOrEmpty(pwd))
        {
            return new SdpError(SdpErrorReason.MissingIcePwd, "no a=ice-pwd at media or session level");
        }

        // Length minimums are the offerer's problem (RFC 8839 §5.4); only the character set matters to us,
        // since the ufrag ends up in USERNAME and the password is the HMAC key.
        if (!IceCredentials.IsValidIceString(ufrag, 1) || !IceCredentials.IsValidIceString(pwd, 1))
        {
            return new SdpError(SdpErrorReason.InvalidIceCredentials, "ice-ufrag/ice-pwd contain characters other than ice-chars");
        }

        var fingerprintLines = data.GetAll("fingerprint");
        if (fingerprintLines.Count == 0)
        {
            fingerprintLines = session.GetAll("fingerprint");
        }

        var fingerprints = new List<SdpFingerprint>();
        foreach (var (value, line) in fingerprintLines)
        {
            if (!SdpFingerprint.TryParse(value, out var fingerprint))
            {
                return new SdpError(SdpErrorReason.InvalidFingerprint, "a=fingerprint needs '<hash-func> <hex pairs>'", line);
            }

            if (fingerprint!.IsSha256 && fingerprint.Digest.Length != 32)
            {
                return new SdpError(SdpErrorReason.InvalidFingerprint, "sha-256 fingerprint is not 32 colon-separated hex pairs", line);
            }

            fingerprints.Add(fingerprint);
        }

        if (!fingerprints.Exists(f => f.IsSha256))
        {
            var others = fingerprints.Count == 0 ? "none" : string.Join(", ", fingerprints.Select(f => f.Algorithm));
            return new SdpError(SdpErrorReason.MissingSha256Fingerprint, $"no sha-256 fingerprint (offered: {others})");
        }

        var setupText = data.Get("setup") ?? session.Get("setup");
        SdpSetupRole? setup = setupText?.Trim().ToLowerInvariant() switch
        {
            null => SdpSetupRole.Unspecified,
            "actpass" => SdpSetupRole.ActPass,
            "active" => SdpSetupRole.Active,
            "passive" => SdpSetupRole.Passive,
            "holdconn" => SdpSetupRole.HoldConn,
            _ => null,
        };
        if (setup is null or SdpSetupRole.Passive or SdpSetupRole.HoldConn)
        {
            return new SdpError(SdpErrorReason.UnsupportedSetupRole,
                $"a=setup:{setupText} — we are always the DTLS server, so the offer must be actpass or active");
        }

        var isLegacy = string.Equals(dataMedia.Protocol, "DTLS/SCTP", StringComparison.OrdinalIgnoreCase);
        var sctpPortText = isLegacy ? dataMedia.Formats[0] : data.Get("sctp-port");
        var sctpPort = 5000;
        if (sctpPortText is not null
            && (!int.TryParse(sctpPortText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out sctpPort) || sctpPort is < 1 or > 65535))
        {
            return new SdpError(SdpErrorReason.InvalidSctpPort, $"SCTP port '{sctpPortText}' is not 1..65535");
        }

        long? maxMessageSize = null;
        if (data.Get("max-message-size") is { } mmsText)
        {
            if (!long.TryParse(mmsText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var mms))
            {
                return new SdpError(SdpErrorReason.InvalidMaxMessageSize, $"max-message-size '{mmsText}' is not a non-negative integer");
            }

            maxMessageSize = mms;
        }

        var candidates = new List<SdpCandidate>();
        foreach (var (value, line) in data.GetAll("candidate"))
        {
            if (candidates.Count >= options.MaxCandidates)
            {
                return new SdpError(SdpErrorReason.TooManyCandidates, $"more than {options.MaxCandidates} candidates", line);
            }

            // Unparseable candidates are skipped: a lite agent never uses them, so they can't make the offer unusable.
            if (SdpCandidate.TryParse(value, out var candidate))
            {
                candidates.Add(candidate!);
            }
        }

        var iceOptions = (data.Get("ice-options") ?? session.Get("ice-options") ?? string.Empty)
            .Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
        var bundle = session.GetAll("group")
            .Select(g => g.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .FirstOrDefault(t => t.Length > 0 && t[0] == "BUNDLE");
        var origin = session.Origin?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var connection = (data.Connection ?? session.Connection)?.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        offer = new SdpOffer(
            origin is { Length: >= 3 } ? origin[1] : null,
            origin is { Length: >= 3 } ? origin[2] : null,
            bundle is null ? [] : bundle[1..],
            media,
            dataIndex,
            ufrag,
            pwd,
            iceOptions,
            fingerprints,
            setup.Value,
            sctpPort,
            maxMessageSize,
            isLegacy,
            candidates,
            data.Has("end-of-candidates"),
            connection is { Length: >= 3 } ? connection[2].Split('/')[0] : null);
        return null;
    }

    private static bool IsDataChannel(SdpMediaDescription media, Section section)
    {
        if (!string.Equals(media.Media, "application", StringComparison.Ordinal) || media.Formats.Count == 0)
        {
            return false;
        }

        if (string.Equals(media.Protocol, "UDP/DTLS/SCTP", StringComparison.OrdinalIgnoreCase))
        {
            return media.Formats[0] == "webrtc-datachannel";
        }

        // Legacy (draft-ietf-mmusic-sctp-sdp-05): "DTLS/SCTP <sctp-port>" + "a=sctpmap:<port> webrtc-datachannel <streams>".
        return string.Equals(media.Protocol, "DTLS/SCTP", StringComparison.OrdinalIgnoreCase)
            && section.GetAll("sctpmap").Exists(m => m.Value.Contains("webrtc-datachannel", StringComparison.Ordinal));
    }

    private sealed class Section(string? mediaLine, int line)
    {
        public string? MediaLine { get; } = mediaLine;

        public int Line { get; } = line;

        public string? Origin { get; set; }

        public string? Connection { get; set; }

        public List<(string Name, string Value, int Line)> Attributes { get; } = [];

        public string? Get(string name) =>
            Attributes.Find(a => string.Equals(a.Name, name, StringComparison.Ordinal)) is { Name: not null } a ? a.Value : null;

        public bool Has(string name) => Attributes.Exists(a => string.Equals(a.Name, name, StringComparison.Ordinal));

        public List<(string Value, int Line)> GetAll(string name) =>
            Attributes.Where(a => string.Equals(a.Name, name, StringComparison.Ordinal)).Select(a => (a.Value, a.Line)).ToList();
    }
}
