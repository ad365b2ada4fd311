using System.Net.WebSockets;
using Enslavism.Grains;
using Enslavism.Signaling;
using Microsoft.AspNetCore.Http;

namespace Enslavism.Gateway.Connections;

/// <summary>
/// A slave's socket. It becomes the endpoint of its slave grain; what the slave sends for a client is relayed with the
/// source id set to this connection's own id, whatever the frame said.
/// </summary>
internal sealed class SlaveConnection(WebSocket socket, HttpContext httpContext, uint id, int protocolVersion, ConnectionServices services)
    : PeerConnection(socket, httpContext, EntityKind.Slave, id, protocolVersion, services), ISlaveEndpoint
{
    private readonly ISlaveGrain _grain = services.Grains.GetSlave(id);
    private bool _registered;

    /// <summary>
    /// Queues a message for the slave. Version-2 messages (<see cref="ClientInfo"/>, <see cref="ClientLeft"/>) are
    /// swallowed for a version-1 slave: Enslavism 0.9 slaves would treat an unknown type as a protocol error.
    /// </summary>
    public ValueTask<bool> DeliverAsync(SignalingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (ProtocolVersion < SignalingCodec.Version2 && message is ClientInfo or ClientLeft)
        {
            return ValueTask.FromResult(true);
        }

        return ValueTask.FromResult(TrySend(message));
    }

    protected override async ValueTask OnOpenedAsync()
    {
        await _grain.AttachAsync(this).ConfigureAwait(false);
        Services.Metrics.ConnectionOpened(Kind);
        Log.Connected(Services.Logger, Kind, Id, ProtocolVersion);
        await RaiseAsync(Events.OnSlaveConnected, new EnslavismConnectionContext(HttpContext, Kind, Id, ProtocolVersion)).ConfigureAwait(false);
    }

    protected override async ValueTask HandleAsync(SignalingMessage message)
    {
        switch (message)
        {
            case Register register:
                await RegisterAsync(register.UserData).ConfigureAwait(false);
                break;
            case AnswerToClient answer:
                await RelayAsync(answer.ClientId, new AnswerFromSlave(Id, answer.Sdp)).ConfigureAwait(false);
                break;
            case IceCandidateToClient candidate:
                await RelayAsync(candidate.ClientId, new IceCandidateFromSlave(Id, candidate.Candidate)).ConfigureAwait(false);
                break;
            case RejectToClient reject:
                Services.Metrics.Rejected();
                await RelayAsync(reject.ClientId, new RejectFromSlave(Id)).ConfigureAwait(false);
                break;
            default:
                await FailAsync(
                    EnslavismErrorKind.ProtocolError,
                    WebSocketCloseStatus.ProtocolError,
                    $"UnexpectedType: slaves do not send {message.Type}").ConfigureAwait(false);
                break;
        }
    }

    protected override async ValueTask OnClosedAsync(WebSocketCloseStatus status, string reason)
    {
        // Detaching removes the slave from the list before anything else can address it, then releases its id.
        await _grain.DetachAsync().ConfigureAwait(false);
        Services.Metrics.ConnectionClosed(Kind);
        Log.Disconnected(Services.Logger, Kind, Id, status, reason);
        await RaiseAsync(
            Events.OnSlaveDisconnected,
            new EnslavismConnectionContext(HttpContext, Kind, Id, ProtocolVersion) { CloseStatus = status, CloseReason = reason }).ConfigureAwait(false);
    }

    private async ValueTask RegisterAsync(JsonUserData userData)
    {
        if (userData.Length > Services.Options.MaxUserDataBytes)
        {
            await FailAsync(
                EnslavismErrorKind.MessageTooBig,
                WebSocketCloseStatus.MessageTooBig,
                $"{SignalingErrorKind.TooLarge}: user data of {userData.Length} bytes exceeds {Services.Options.MaxUserDataBytes}",
                SignalingErrorKind.TooLarge).ConfigureAwait(false);
            return;
        }

        var isUpdate = _registered;
        await _grain.RegisterAsync(userData).ConfigureAwait(false);
        _registered = true;
        Log.SlaveRegistered(Services.Logger, Id, userData.Length, isUpdate);
        await RaiseAsync(Events.OnSlaveRegistered, new EnslavismSlaveRegisteredContext(HttpContext, Id, userData, isUpdate)).ConfigureAwait(false);
    }

    private async ValueTask RelayAsync(uint clientId, SignalingMessage message)
    {
        if (await Services.Grains.GetClientSession(clientId).DeliverFromSlaveAsync(Id, message).ConfigureAwait(false))
        {
            Services.Metrics.Relayed(message.Type);
        }
        else
        {
            Services.Metrics.Dropped(message.Type);
            Log.Dropped(Services.Logger, message.Type.ToString(), Kind, Id, clientId);
        }
    }
}
