namespace Enslavism.WebRtc.Sdp;

/// <summary>
/// A browser offer reduced to what a data-channel answerer needs (RFC 8829 JSEP, RFC 8841 SCTP-over-DTLS,
/// RFC 8839 ICE, RFC 8842 DTLS). Immutable; produced only by <see cref="SdpOfferParser"/>, which has already
/// rejected unusable offers. Where an attribute may appear at session and media level, the data section's
/// media-level value wins.
/// </summary>
public sealed class SdpOffer
{
    internal SdpOffer(
        string? originSessionId,
        string? originSessionVersion,
        IReadOnlyList<string> bundleMids,
        IReadOnlyList<SdpMediaDescription> mediaSections,
        int dataMediaIndex,
        string iceUfrag,
        string icePwd,
        IReadOnlyList<string> iceOptions,
        IReadOnlyList<SdpFingerprint> fingerprints,
        SdpSetupRole setup,
        int sctpPort,
        long? maxMessageSize,
        bool isLegacySctp,
        IReadOnlyList<SdpCandidate> candidates,
        bool endOfCandidates,
        string? connectionAddress)
    {
        OriginSessionId = originSessionId;
        OriginSessionVersion = originSessionVersion;
        BundleMids = bundleMids;
        MediaSections = mediaSections;
        DataMediaIndex = dataMediaIndex;
        IceUfrag = iceUfrag;
        IcePwd = icePwd;
        IceOptions = iceOptions;
        Fingerprints = fingerprints;
        Setup = setup;
        SctpPort = sctpPort;
        MaxMessageSize = maxMessageSize;
        IsLegacySctp = isLegacySctp;
        Candidates = candidates;
        EndOfCandidates = endOfCandidates;
        ConnectionAddress = connectionAddress;
        Sha256Fingerprint = fingerprints.First(f => f.IsSha256 && f.Digest.Length == 32);
    }

    /// <summary>Default when <c>a=max-message-size</c> is absent (RFC 8841 §6).</summary>
    public const long DefaultMaxMessageSize = 65536;

    public string? OriginSessionId { get; }

    public string? OriginSessionVersion { get; }

    /// <summary>Mids of the first <c>a=group:BUNDLE</c> line (empty when absent).</summary>
    public IReadOnlyList<string> BundleMids { get; }

    public IReadOnlyList<SdpMediaDescription> MediaSections { get; }

    public int DataMediaIndex { get; }

    public SdpMediaDescription DataMedia => MediaSections[DataMediaIndex];

    /// <summary>The data section's <c>a=mid</c> (the answer must echo it), or null for pre-unified-plan offers.</summary>
    public string? Mid => DataMedia.Mid;

    public string IceUfrag { get; }

    public string IcePwd { get; }

    /// <summary><c>a=ice-options</c> tokens, e.g. <c>trickle</c>, <c>ice2</c>.</summary>
    public IReadOnlyList<string> IceOptions { get; }

    /// <summary>All fingerprints that apply to the data section, in offer order (other hashes included for reporting).</summary>
    public IReadOnlyList<SdpFingerprint> Fingerprints { get; }

    /// <summary>The first well-formed sha-256 fingerprint (always present in a parsed offer).</summary>
    public SdpFingerprint Sha256Fingerprint { get; }

    public SdpSetupRole Setup { get; }

    /// <summary>The peer's SCTP port: destination port of our SCTP packets (<c>a=sctp-port</c>, legacy format, or 5000).</summary>
    public int SctpPort { get; }

    /// <summary>The peer's <c>a=max-message-size</c>; null when absent; 0 means "no limit" (RFC 8841 §6).</summary>
    public long? MaxMessageSize { get; }

    /// <summary>Largest message we may send to the peer, applying the RFC 8841 §6 default and the 0 = unlimited rule.</summary>
    public long EffectiveMaxMessageSize => MaxMessageSize switch
    {
        null => DefaultMaxMessageSize,
        0 => long.MaxValue,
        { } value => value,
    };

    /// <summary>True for the pre-RFC-8841 <c>m=application &lt;port&gt; DTLS/SCTP 5000</c> + <c>a=sctpmap</c> form (aiortc 1.4 sends it).</summary>
    public bool IsLegacySctp { get; }

    /// <summary>Candidates of the data section (a lite agent ignores them; kept for diagnostics).</summary>
    public IReadOnlyList<SdpCandidate> Candidates { get; }

    public bool EndOfCandidates { get; }

    /// <summary>Address of the data section's (or session's) <c>c=</c> line.</summary>
    public string? ConnectionAddress { get; }
}
