using System.Net.WebSockets;
using Enslavism.Grains;
using Enslavism.Signaling;
using Microsoft.AspNetCore.Http;

namespace Enslavism.Gateway.Connections;

/// <summary>
/// A browser client's socket: endpoint of its client-session grain and observer of the slave list. On connect it
/// queues the snapshot (as AddSlaves frames of bounded size), then every later change in sequence order.
/// </summary>
internal sealed class ClientConnection(WebSocket socket, HttpContext httpContext, uint id, int protocolVersion, ConnectionServices services)
    : PeerConnection(socket, httpContext, EntityKind.Client, id, protocolVersion, services), IClientEndpoint, ISlaveListObserver
{
    private readonly IClientSessionGrain _grain = services.Grains.GetClientSession(id);
    private readonly Lock _listGate = new();
    private List<SlaveListChange>? _changesBeforeSnapshot = [];
    private long _lastSequence = -1;
    private SlaveListSubscription? _subscription;

    // Slaves this client has offered to (and that existed): they get ClientInfo once and ClientLeft when it goes. A
    // slave leaving the list is forgotten, so a later slave that reuses its id is introduced again.
    private readonly Lock _offeredGate = new();
    private readonly HashSet<uint> _offeredSlaves = [];
    private ClientInfo? _info;

    public ValueTask<bool> DeliverAsync(SignalingMessage message) => ValueTask.FromResult(TrySend(message));

    public ValueTask OnSlaveListChangedAsync(SlaveListChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_listGate)
        {
            if (_changesBeforeSnapshot is not null)
            {
                // The registry may deliver a change before SubscribeAsync returned the snapshot to us.
                if (_changesBeforeSnapshot.Count >= Services.Options.SendQueueFrames)
                {
                    OnSlowConsumer();
                    return ValueTask.CompletedTask;
                }

                _changesBeforeSnapshot.Add(change);
                return ValueTask.CompletedTask;
            }

            SendChange(change);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The list stream stopped, so this client's view would go stale: make it reconnect for a fresh snapshot.</summary>
    public ValueTask OnSubscriptionLostAsync(string reason) =>
        FailAsync(EnslavismErrorKind.SlowConsumer, WebSocketCloseStatus.EndpointUnavailable, $"SlaveListLost: {reason}");

    protected override async ValueTask OnOpenedAsync()
    {
        await _grain.AttachAsync(this).ConfigureAwait(false);
        Services.Metrics.ConnectionOpened(Kind);
        _subscription = await Services.Grains.GetSlaveRegistry().SubscribeAsync(this).ConfigureAwait(false);
        lock (_listGate)
        {
            SendSnapshot(_subscription.Snapshot);
            foreach (var change in _changesBeforeSnapshot!)
            {
                SendChange(change);
            }

            _changesBeforeSnapshot = null;
        }

        Log.Connected(Services.Logger, Kind, Id, ProtocolVersion);
        await RaiseAsync(Events.OnClientConnected, new EnslavismConnectionContext(HttpContext, Kind, Id, ProtocolVersion)).ConfigureAwait(false);
    }

    protected override async ValueTask HandleAsync(SignalingMessage message)
    {
        switch (message)
        {
            case OfferToSlave offer:
                await IntroduceAsync(offer.SlaveId).ConfigureAwait(false);
                await RelayAsync(offer.SlaveId, new OfferFromClient(Id, offer.Sdp)).ConfigureAwait(false);
                break;
            case IceCandidateToSlave candidate:
                await RelayAsync(candidate.SlaveId, new IceCandidateFromClient(Id, candidate.Candidate)).ConfigureAwait(false);
                break;
            default:
                await FailAsync(
                    EnslavismErrorKind.ProtocolError,
                    WebSocketCloseStatus.ProtocolError,
                    $"UnexpectedType: clients do not send {message.Type}").ConfigureAwait(false);
                break;
        }
    }

    protected override async ValueTask OnClosedAsync(WebSocketCloseStatus status, string reason)
    {
        if (_subscription is not null)
        {
            await _subscription.DisposeAsync().ConfigureAwait(false);
        }

        await SayGoodbyeAsync().ConfigureAwait(false);
        await _grain.DetachAsync().ConfigureAwait(false);
        Services.Metrics.ConnectionClosed(Kind);
        Log.Disconnected(Services.Logger, Kind, Id, status, reason);
        await RaiseAsync(
            Events.OnClientDisconnected,
            new EnslavismConnectionContext(HttpContext, Kind, Id, ProtocolVersion) { CloseStatus = status, CloseReason = reason }).ConfigureAwait(false);
    }

    private void SendSnapshot(SlaveListSnapshot snapshot)
    {
        _lastSequence = snapshot.Sequence;
        var limit = Services.Options.MaxSnapshotFrameBytes;
        var batch = new List<SlaveEntry>();
        var batchBytes = 1;
        foreach (var slave in snapshot.Slaves)
        {
            var size = SignalingCodec.GetEncodedLength(slave);
            if (batch.Count > 0 && batchBytes + size > limit)
            {
                TrySend(new AddSlaves(batch));
                batch = [];
                batchBytes = 1;
            }

            batch.Add(slave);
            batchBytes += size;
        }

        // Always at least one frame, as Enslavism 0.9 did: an empty AddSlaves tells the client the list is complete.
        if (batch.Count > 0 || snapshot.Slaves.Count == 0)
        {
            TrySend(new AddSlaves(batch));
        }
    }

    private void SendChange(SlaveListChange change)
    {
        if (change.Sequence <= _lastSequence)
        {
            return;
        }

        _lastSequence = change.Sequence;
        if (change is SlaveRemoved gone)
        {
            lock (_offeredGate)
            {
                _offeredSlaves.Remove(gone.SlaveId);
            }
        }
        _ = change switch
        {
            SlaveAdded added => TrySend(new AddSlaves([added.Slave])),
            SlaveRemoved removed => TrySend(new RemoveSlaves([removed.SlaveId])),
            _ => false,
        };
    }

    /// <summary>Sends ClientInfo before this client's first offer to a slave; version-1 slaves drop it at their endpoint.</summary>
    private async ValueTask IntroduceAsync(uint slaveId)
    {
        lock (_offeredGate)
        {
            if (_offeredSlaves.Contains(slaveId))
            {
                return;
            }
        }

        _info ??= new ClientInfo(Id, ClientInfoJson.From(HttpContext));
        if (await NotifyAsync(slaveId, _info).ConfigureAwait(false))
        {
            // Only slaves that exist are remembered, so the set is bounded by the slaves alive at once.
            lock (_offeredGate)
            {
                _offeredSlaves.Add(slaveId);
            }
        }
    }

    private async ValueTask SayGoodbyeAsync()
    {
        uint[] offered;
        lock (_offeredGate)
        {
            offered = [.. _offeredSlaves];
            _offeredSlaves.Clear();
        }

        var left = new ClientLeft(Id);
        foreach (var slaveId in offered)
        {
            try
            {
                await NotifyAsync(slaveId, left).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A failed notice (e.g. the cluster backplane down) must not skip this client's cleanup.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.ClientLeftFailed(Services.Logger, e, Id, slaveId);
            }
        }
    }

    /// <summary>
    /// Delivers a message the master itself generates for a slave. Not counted as a relay or a drop: the metrics count
    /// peer frames, and a missing slave is already counted by the offer that follows.
    /// </summary>
    private ValueTask<bool> NotifyAsync(uint slaveId, SignalingMessage message) =>
        Services.Grains.GetSlave(slaveId).DeliverFromClientAsync(Id, message);

    private async ValueTask RelayAsync(uint slaveId, SignalingMessage message)
    {
        if (await Services.Grains.GetSlave(slaveId).DeliverFromClientAsync(Id, message).ConfigureAwait(false))
        {
            Services.Metrics.Relayed(message.Type);
        }
        else
        {
            Services.Metrics.Dropped(message.Type);
            Log.Dropped(Services.Logger, message.Type.ToString(), Kind, Id, slaveId);
        }
    }
}
