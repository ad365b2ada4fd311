using System.Net;

namespace Enslavism.WebRtc.Sdp;

/// <summary>
/// An answer to our own offer reduced to what the .NET offerer needs (RFC 8829 §5.3, RFC 8839, RFC 8842, RFC 8841).
/// Produced only by <see cref="SdpAnswerParser"/>.
/// </summary>
public sealed record SdpAnswer(
    string IceUfrag,
    string IcePwd,
    bool IceLite,
    IReadOnlyList<SdpFingerprint> Fingerprints,
    SdpSetupRole Setup,
    IReadOnlyList<IPEndPoint> Candidates,
    int SctpPort,
    long? MaxMessageSize)
{
    /// <summary>Largest message we may send to the answerer (RFC 8841 §6 default 64 KiB; 0 = unlimited).</summary>
    public long EffectiveMaxMessageSize => MaxMessageSize switch
    {
        null => SdpOffer.DefaultMaxMessageSize,
        0 => long.MaxValue,
        { } value => value,
    };
}
