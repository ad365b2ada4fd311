using Enslavism.Signaling;
using Microsoft.Extensions.Logging;

namespace Enslavism.SlaveHost;

public sealed partial class SlaveConnection
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Connecting to the master at {Uri}", EventName = "Connecting")]
        public static partial void Connecting(ILogger logger, Uri uri);

        [LoggerMessage(2, LogLevel.Information, "Connected to the master at {Uri}; registration sent", EventName = "Connected")]
        public static partial void Connected(ILogger logger, Uri uri);

        [LoggerMessage(3, LogLevel.Warning, "The master at {Uri} refused the slave with {StatusCode}: {Reason}", EventName = "AuthRejected")]
        public static partial void AuthRejected(ILogger logger, Uri uri, int statusCode, string reason);

        [LoggerMessage(4, LogLevel.Debug, "Could not connect to the master at {Uri}", EventName = "ConnectFailed")]
        public static partial void ConnectFailed(ILogger logger, Uri uri, Exception exception);

        [LoggerMessage(10, LogLevel.Warning, "Discarded a frame from the master ({Kind}): {Detail}", EventName = "MalformedFrame")]
        public static partial void MalformedFrame(ILogger logger, string kind, string detail);

        [LoggerMessage(11, LogLevel.Warning, "Dropped an outgoing {Type} frame: the outgoing queue is full or closed", EventName = "OutgoingDropped")]
        public static partial void OutgoingDropped(ILogger logger, SignalingMessageType type);

        [LoggerMessage(12, LogLevel.Warning, "Sending to the master failed", EventName = "SendFailed")]
        public static partial void SendFailed(ILogger logger, Exception exception);

        [LoggerMessage(13, LogLevel.Error, "The receive loop failed unexpectedly; the connection is closed", EventName = "ReceiveLoopFailed")]
        public static partial void ReceiveLoopFailed(ILogger logger, Exception exception);

        [LoggerMessage(20, LogLevel.Debug, "Offer from client {ClientId} ({SdpLength} characters of SDP)", EventName = "OfferReceived")]
        public static partial void OfferReceived(ILogger logger, uint clientId, int sdpLength);

        [LoggerMessage(21, LogLevel.Information, "Rejected the offer of client {ClientId}: {Why}", EventName = "OfferRejected")]
        public static partial void OfferRejected(ILogger logger, uint clientId, string why);

        [LoggerMessage(22, LogLevel.Debug, "Answered client {ClientId}", EventName = "OfferAnswered")]
        public static partial void OfferAnswered(ILogger logger, uint clientId);

        [LoggerMessage(23, LogLevel.Debug, "Client {ClientId} sent a new offer; its previous peer connection is closed", EventName = "OfferReplaces")]
        public static partial void OfferReplaces(ILogger logger, uint clientId);

        [LoggerMessage(24, LogLevel.Warning, "The peer connection of client {ClientId} produced no answer", EventName = "AnswerFailed")]
        public static partial void AnswerFailed(ILogger logger, uint clientId, Exception exception);

        [LoggerMessage(25, LogLevel.Warning, "The admission handler failed for client {ClientId}; the offer is rejected", EventName = "AdmissionFailed")]
        public static partial void AdmissionFailed(ILogger logger, uint clientId, Exception exception);

        [LoggerMessage(26, LogLevel.Warning, "The peer connection factory failed for client {ClientId}; the offer is rejected", EventName = "PeerCreationFailed")]
        public static partial void PeerCreationFailed(ILogger logger, uint clientId, Exception exception);

        [LoggerMessage(27, LogLevel.Debug, "Released client {ClientId} ({Reason})", EventName = "ClientReleased")]
        public static partial void ClientReleased(ILogger logger, uint clientId, ClientReleaseReason reason);

        [LoggerMessage(28, LogLevel.Debug, "Dropped an ICE candidate of client {ClientId} ({Reason})", EventName = "CandidateDropped")]
        public static partial void CandidateDropped(ILogger logger, uint clientId, string reason);

        [LoggerMessage(29, LogLevel.Debug, "The peer connection of client {ClientId} refused a remote candidate", EventName = "RemoteCandidateFailed")]
        public static partial void RemoteCandidateFailed(ILogger logger, uint clientId, Exception exception);

        [LoggerMessage(30, LogLevel.Warning, "Disposing the peer connection of client {ClientId} failed", EventName = "PeerDisposeFailed")]
        public static partial void PeerDisposeFailed(ILogger logger, uint clientId, Exception exception);

        [LoggerMessage(31, LogLevel.Error, "A {EventName} handler threw", EventName = "EventHandlerFailed")]
        public static partial void EventHandlerFailed(ILogger logger, string eventName, Exception exception);

        [LoggerMessage(40, LogLevel.Information, "Disconnected from the master ({Reason}): {Description}", EventName = "Disconnected")]
        public static partial void Disconnected(ILogger logger, SlaveDisconnectReason reason, string description);

        [LoggerMessage(41, LogLevel.Warning, "The master did not finish closing within {CloseTimeout}; the socket was aborted", EventName = "CloseTimedOut")]
        public static partial void CloseTimedOut(ILogger logger, TimeSpan closeTimeout);

        [LoggerMessage(32, LogLevel.Debug, "Client {ClientId} left the master (had a session: {HadSession})", EventName = "ClientLeft")]
        public static partial void ClientLeft(ILogger logger, uint clientId, bool hadSession);

        [LoggerMessage(33, LogLevel.Warning, "ClientInfo of client {ClientId} dropped: {MaxKnownClients} clients already known", EventName = "ClientInfoDropped")]
        public static partial void ClientInfoDropped(ILogger logger, uint clientId, int maxKnownClients);

        [LoggerMessage(42, LogLevel.Warning, "{Count} offer tasks were still running after the close timeout", EventName = "BackgroundWorkTimedOut")]
        public static partial void BackgroundWorkTimedOut(ILogger logger, int count);
    }
}
