using System.Net;
using Enslavism.WebRtc.Core;
using Enslavism.WebRtc.Dtls;
using Enslavism.WebRtc.Sdp;

namespace Enslavism.WebRtc.Session;

/// <summary>Configuration shared by every session a <see cref="WebRtcSessionFactory"/> creates.</summary>
public sealed record WebRtcSessionFactoryOptions
{
    /// <summary>Our certificate, shared by all sessions (its fingerprint goes into every SDP).</summary>
    public required DtlsIdentity Identity { get; init; }

    /// <summary>
    /// Host candidates announced in answers (public addresses behind NAT, with the bound UDP port). Required for
    /// <see cref="WebRtcSessionFactory.TryAccept"/>; unused by offerers.
    /// </summary>
    public IReadOnlyList<IPEndPoint> AnnouncedCandidates { get; init; } = [];

    /// <summary>ICE credentials, tie-breakers, SDP session ids, SCTP tags and cookies. Cryptographic by default.</summary>
    public IRandomSource Random { get; init; } = CryptoRandomSource.Instance;

    /// <summary>Creates each session's DTLS engine; null = <see cref="BcDtlsEngine"/>.</summary>
    public DtlsEngineFactory? DtlsEngineFactory { get; init; }

    public WebRtcSessionOptions Session { get; init; } = WebRtcSessionOptions.Default;

    /// <summary>Sessions alive at once; <see cref="SessionErrorReason.TooManySessions"/> beyond.</summary>
    public int MaxSessions { get; init; } = 1000;

    /// <summary>Our <c>a=max-message-size</c> (largest message we reassemble); the SCTP receive limit is raised to match.</summary>
    public long MaxMessageSize { get; init; } = SdpAnswerOptions.MinMaxMessageSize;

    public SdpParserOptions SdpParser { get; init; } = SdpParserOptions.Default;

    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Identity);
        ArgumentNullException.ThrowIfNull(AnnouncedCandidates);
        ArgumentNullException.ThrowIfNull(Random);
        ArgumentNullException.ThrowIfNull(Session);
        ArgumentNullException.ThrowIfNull(SdpParser);
        Session.Validate();
        SdpParser.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSessions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMessageSize, SdpAnswerOptions.MinMaxMessageSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxMessageSize, int.MaxValue);
    }
}
