using System.Net.WebSockets;
using Enslavism.Grains;
using Microsoft.Extensions.Logging;

namespace Enslavism.Gateway.Connections;

internal abstract partial class PeerConnection
{
    /// <summary>Connection logs; EventIds 100–199 are stable.</summary>
    protected static partial class Log
    {
        [LoggerMessage(100, LogLevel.Information, "{Kind} {Id} connected (protocol v{Version})")]
        public static partial void Connected(ILogger logger, EntityKind kind, uint id, int version);

        [LoggerMessage(101, LogLevel.Information, "{Kind} {Id} disconnected ({Status} {Reason})")]
        public static partial void Disconnected(ILogger logger, EntityKind kind, uint id, WebSocketCloseStatus status, string reason);

        [LoggerMessage(102, LogLevel.Debug, "{Kind} {Id} connection ended: {Detail}")]
        public static partial void ConnectionEnded(ILogger logger, EntityKind kind, uint id, string detail);

        [LoggerMessage(103, LogLevel.Warning, "{Kind} {Id} closed for a protocol violation ({Status}): {Reason}")]
        public static partial void ProtocolViolation(ILogger logger, EntityKind kind, uint id, WebSocketCloseStatus status, string reason);

        [LoggerMessage(104, LogLevel.Warning, "{Kind} {Id} closed as a slow consumer: {Reason}")]
        public static partial void SlowConsumer(ILogger logger, EntityKind kind, uint id, string reason);

        [LoggerMessage(105, LogLevel.Debug, "Dropped {Type} from {Kind} {Id} to missing peer {PeerId}")]
        public static partial void Dropped(ILogger logger, string type, EntityKind kind, uint id, uint peerId);

        [LoggerMessage(106, LogLevel.Information, "Slave {Id} registered ({Bytes} bytes of user data, update: {IsUpdate})")]
        public static partial void SlaveRegistered(ILogger logger, uint id, int bytes, bool isUpdate);

        [LoggerMessage(107, LogLevel.Error, "The {Hook} hook failed for {Kind} {Id}")]
        public static partial void HookFailed(ILogger logger, Exception exception, string hook, EntityKind kind, uint id);

        [LoggerMessage(108, LogLevel.Warning, "ClientLeft of client {Id} could not be delivered to slave {SlaveId}")]
        public static partial void ClientLeftFailed(ILogger logger, Exception exception, uint id, uint slaveId);
    }
}
