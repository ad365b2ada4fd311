using Enslavism.WebRtc.Sdp;

namespace Enslavism.WebRtc.Session;

/// <summary>Why a session could not be created or a request was refused.</summary>
public enum SessionErrorReason
{
    /// <summary>The remote SDP is unusable; <see cref="SessionError.Sdp"/> says why.</summary>
    InvalidSdp,
    /// <summary><see cref="WebRtcSessionFactoryOptions.MaxSessions"/> sessions are alive.</summary>
    TooManySessions,
    /// <summary>The offer was already answered (an offer can be applied once).</summary>
    OfferAlreadyUsed,
    /// <summary>The session is closing or closed.</summary>
    SessionClosed,
    /// <summary><see cref="WebRtcSessionOptions.MaxChannels"/> channels are open.</summary>
    TooManyChannels,
    /// <summary>No stream id of our parity is free (or the negotiated id is taken).</summary>
    NoFreeStreamId,
}

/// <summary>Typed refusal: reason for code, message for logs.</summary>
public sealed record SessionError(SessionErrorReason Reason, string Message, SdpError? Sdp = null)
{
    public override string ToString() => Sdp is null ? $"{Reason}: {Message}" : $"{Reason}: {Sdp}";
}
