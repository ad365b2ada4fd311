namespace Enslavism.WebRtc.Sdp;

/// <summary>Why an offer cannot be answered.</summary>
public enum SdpErrorReason
{
    InputTooLarge,
    TooManyLines,
    LineTooLong,
    MalformedLine,
    MissingVersion,
    UnsupportedVersion,
    TooManyMediaSections,
    TooManyCandidates,

    /// <summary>No <c>m=application … UDP/DTLS/SCTP webrtc-datachannel</c> (or legacy <c>DTLS/SCTP</c>) section.</summary>
    NoDataChannelMedia,

    /// <summary>The data m-line has port 0 without <c>a=bundle-only</c>: the offerer rejected it.</summary>
    DataChannelRejected,
    MissingIceUfrag,
    MissingIcePwd,
    InvalidIceCredentials,
    MissingSha256Fingerprint,
    InvalidFingerprint,

    /// <summary><c>a=setup:passive</c> or <c>holdconn</c>: we are always the DTLS server (passive).</summary>
    UnsupportedSetupRole,

    /// <summary>The offerer is ICE-lite as well; two lite agents never run checks (RFC 8445 §6.1.1).</summary>
    RemoteIceLite,
    InvalidSctpPort,
    InvalidMaxMessageSize,
    /// <summary>An answer without a literal-IP UDP host candidate we could check (the offerer needs one).</summary>
    NoUsableCandidate,
}

/// <summary>Typed SDP rejection: reason for code, message for logs, 1-based line number when tied to a line.</summary>
public sealed record SdpError(SdpErrorReason Reason, string Message, int? Line = null)
{
    public override string ToString() => Line is { } line ? $"{Reason} (line {line}): {Message}" : $"{Reason}: {Message}";
}
