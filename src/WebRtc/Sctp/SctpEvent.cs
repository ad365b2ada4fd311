namespace Enslavism.WebRtc.Sctp;

/// <summary>Why an association ended.</summary>
public enum SctpCloseReason
{
    Shutdown,
    PeerAbort,
    LocalAbort,
    InitTimeout,
    RetransmissionLimit,
    ProtocolViolation,
    ResourceLimit,
}

/// <summary>Events an association reports to the layer above.</summary>
public abstract record SctpEvent;

public sealed record SctpConnected : SctpEvent;

/// <summary>A complete user message (reassembled, in order for ordered streams).</summary>
public sealed record SctpMessageReceived(ushort StreamId, uint Ppid, byte[] Payload, bool Unordered) : SctpEvent;

/// <summary>The stream was reset in both directions (RFC 6525); its id may be reused.</summary>
public sealed record SctpStreamReset(ushort StreamId) : SctpEvent;

/// <summary>The peer reset its outgoing side of the stream; the local side answers with its own reset.</summary>
public sealed record SctpIncomingStreamReset(ushort StreamId) : SctpEvent;

public sealed record SctpClosed(SctpCloseReason Reason, string? Detail) : SctpEvent;
