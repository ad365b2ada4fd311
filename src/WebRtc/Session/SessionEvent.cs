using System.Net;
using System.Text;
using Enslavism.WebRtc.DataChannels;
using Enslavism.WebRtc.Dtls;

namespace Enslavism.WebRtc.Session;

/// <summary>Events a <see cref="WebRtcSession"/> reports to the application.</summary>
public abstract record SessionEvent;

/// <summary>ICE, DTLS (peer fingerprint verified) and SCTP are all up: channels can be opened.</summary>
public sealed record SessionConnected(IPEndPoint Remote, DtlsFingerprint PeerFingerprint) : SessionEvent;

/// <summary>A channel is open: created locally (<paramref name="OpenedByPeer"/> false) or opened by the peer via DCEP.</summary>
public sealed record ChannelOpened(DataChannel Channel, bool OpenedByPeer) : SessionEvent;

/// <summary>One complete message. Empty messages (PPID 56/57) arrive with an empty <see cref="Data"/>.</summary>
public sealed record ChannelMessage(DataChannel Channel, bool IsText, byte[] Data) : SessionEvent
{
    public string Text => Encoding.UTF8.GetString(Data);
}

/// <summary>The channel's stream was reset in both directions (or the session ended).</summary>
public sealed record ChannelClosed(DataChannel Channel) : SessionEvent;

/// <summary>The channel's queued bytes fell to or below its threshold (W3C bufferedamountlow).</summary>
public sealed record BufferedAmountLow(DataChannel Channel) : SessionEvent;

/// <summary>A non-fatal channel problem (malformed DCEP, unknown PPID, refused OPEN…).</summary>
public sealed record ChannelError(DataChannel? Channel, DataChannelErrorKind Kind, string Message) : SessionEvent;

/// <summary>The session ended; terminal, no event follows.</summary>
/// <param name="DtlsFailure">Set when <paramref name="Reason"/> is <see cref="SessionCloseReason.DtlsFailed"/>.</param>
public sealed record SessionClosed(SessionCloseReason Reason, string Detail, DtlsFailureReason? DtlsFailure = null) : SessionEvent;
