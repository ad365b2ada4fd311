using System.Net;

namespace Enslavism.WebRtc.Ice;

public enum IceEventKind
{
    /// <summary>The peer nominated <see cref="IceEvent.Remote"/> (USE-CANDIDATE): send DTLS/SCTP there from now on.</summary>
    Selected,

    /// <summary>No valid check for <see cref="IceLiteAgentOptions.ConsentTimeout"/> (RFC 7675): the agent is closed.</summary>
    ConsentLost,

    /// <summary>No valid check within <see cref="IceLiteAgentOptions.ConnectTimeout"/> of creation: the agent is closed.</summary>
    ConnectTimedOut,
}

/// <summary>Event raised by <see cref="IceLiteAgent"/> to the session above.</summary>
public readonly record struct IceEvent(IceEventKind Kind, IPEndPoint? Remote);
