using System.Text;
using Enslavism.WebRtc.Sctp;

namespace Enslavism.WebRtc.DataChannels;

/// <summary>Events of a <see cref="DataChannelManager"/>.</summary>
public abstract record DataChannelEvent;

/// <summary>The SCTP association is up; channels can be opened.</summary>
public sealed record DataChannelTransportConnected : DataChannelEvent;

/// <summary>The SCTP association ended; every channel is closed.</summary>
public sealed record DataChannelTransportClosed(SctpCloseReason Reason, string? Detail) : DataChannelEvent;

/// <summary>A channel became open: one we created, or one the peer opened with DCEP.</summary>
public sealed record DataChannelOpened(DataChannel Channel, bool OpenedByPeer) : DataChannelEvent;

/// <summary>A complete message. Empty-message PPIDs (56/57) arrive with an empty <see cref="Data"/>.</summary>
public sealed record DataChannelMessageReceived(DataChannel Channel, bool IsString, byte[] Data) : DataChannelEvent
{
    public string Text => Encoding.UTF8.GetString(Data);
}

public sealed record DataChannelClosed(DataChannel Channel) : DataChannelEvent;

public enum DataChannelErrorKind
{
    MalformedDcep,
    UnknownPpid,
    UnknownStream,
    StreamInUse,
    TooManyChannels,
    InvalidStreamId,
}

public sealed record DataChannelError(DataChannel? Channel, DataChannelErrorKind Kind, string Message) : DataChannelEvent;

/// <summary>The channel's queued bytes fell to or below its <see cref="DataChannel.BufferedAmountLowThreshold"/>.</summary>
public sealed record DataChannelBufferedAmountLow(DataChannel Channel) : DataChannelEvent;
