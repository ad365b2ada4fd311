using System.Diagnostics.CodeAnalysis;
using Enslavism.WebRtc.Ice;

namespace Enslavism.WebRtc.Session;

/// <summary>
/// A local offer made by <see cref="WebRtcSessionFactory.CreateOffer"/>: send <see cref="Sdp"/> to the answerer, then
/// apply its answer once with <see cref="TryApplyAnswer"/> to get the session.
/// </summary>
public sealed class WebRtcOffer
{
    private readonly WebRtcSessionFactory _factory;
    private int _used;

    internal WebRtcOffer(WebRtcSessionFactory factory, IceCredentials credentials, string sdp)
    {
        _factory = factory;
        LocalCredentials = credentials;
        Sdp = sdp;
    }

    public string Sdp { get; }

    public IceCredentials LocalCredentials { get; }

    /// <summary>Validates the answer and creates the offerer session (ICE controlling; DTLS client unless the answer says active).</summary>
    public bool TryApplyAnswer(TimeSpan now, string answerSdp, [NotNullWhen(true)] out WebRtcSession? session, [NotNullWhen(false)] out SessionError? error)
    {
        if (Interlocked.Exchange(ref _used, 1) != 0)
        {
            session = null;
            error = new SessionError(SessionErrorReason.OfferAlreadyUsed, "an offer can be answered once");
            return false;
        }

        return _factory.TryCreateOfferer(now, this, answerSdp, out session, out error);
    }
}
