using System.Net.WebSockets;

namespace Enslavism.SlaveHost;

/// <summary>Why the slave's signaling connection ended.</summary>
public enum SlaveDisconnectReason
{
    /// <summary><see cref="SlaveConnection.DisposeAsync"/> closed it.</summary>
    Disposed,

    /// <summary>The master sent a WebSocket close frame.</summary>
    ClosedByMaster,

    /// <summary>The connection failed: reset, keep-alive timeout, or a send error.</summary>
    ConnectionLost,
}

/// <summary>The signaling connection ended; every client session was released before this is raised.</summary>
public sealed class SlaveDisconnectedEventArgs(
    SlaveDisconnectReason reason,
    WebSocketCloseStatus? closeStatus,
    string? closeDescription,
    Exception? exception) : EventArgs
{
    public SlaveDisconnectReason Reason { get; } = reason;

    /// <summary>The close status the master sent, for <see cref="SlaveDisconnectReason.ClosedByMaster"/>.</summary>
    public WebSocketCloseStatus? CloseStatus { get; } = closeStatus;

    /// <summary>The close description the master sent, if any.</summary>
    public string? CloseDescription { get; } = closeDescription;

    /// <summary>The error that ended the connection, for <see cref="SlaveDisconnectReason.ConnectionLost"/>.</summary>
    public Exception? Exception { get; } = exception;

    public override string ToString() => Reason switch
    {
        SlaveDisconnectReason.ClosedByMaster => $"closed by master ({CloseStatus}{(string.IsNullOrEmpty(CloseDescription) ? string.Empty : ": " + CloseDescription)})",
        SlaveDisconnectReason.ConnectionLost => $"connection lost ({Exception?.Message ?? "unknown error"})",
        _ => "disposed",
    };
}
