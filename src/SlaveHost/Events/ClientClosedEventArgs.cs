namespace Enslavism.SlaveHost;

/// <summary>Why a <see cref="ClientConnection"/> ended.</summary>
public enum ClientCloseReason
{
    /// <summary>
    /// The client closed its peer connection (SCTP shutdown or abort, DTLS close_notify), or (protocol version 2) the
    /// master reported that its WebSocket closed.
    /// </summary>
    ClientLeft,

    /// <summary>The client stopped answering: ICE consent expired or SCTP gave up retransmitting.</summary>
    ConnectionLost,

    /// <summary>The connection never came up: no ICE check arrived in time, or the DTLS handshake failed.</summary>
    ConnectFailed,

    /// <summary>The client violated DTLS or SCTP (fatal alert, malformed packets, exhausted limits).</summary>
    ProtocolError,

    /// <summary>This side ended it: <see cref="ClientConnection.Close"/>, a new offer from the same client, or the slave disconnecting.</summary>
    ClosedBySlave,
}

/// <summary>A client connection ended; all its channels are closed and its resources released.</summary>
public sealed class ClientClosedEventArgs(ClientCloseReason reason, string detail) : EventArgs
{
    public ClientCloseReason Reason { get; } = reason;

    /// <summary>A human-readable detail from the WebRTC stack (for logs).</summary>
    public string Detail { get; } = detail;

    public override string ToString() => string.IsNullOrEmpty(Detail) ? Reason.ToString() : $"{Reason} ({Detail})";
}
