using Enslavism.Signaling;

namespace Enslavism.SlaveHost;

/// <summary>Protocol version 2: what the master says about clients (ClientInfo before offers, ClientLeft when they go).</summary>
public sealed partial class SlaveConnection
{
    private readonly Dictionary<uint, OfferingClient> _knownClients = [];

    private void HandleClientInfo(ClientInfo info)
    {
        if (!OfferingClient.TryParse(info.Info, out var client))
        {
            Malformed("InvalidClientInfo", $"ClientInfo of client {info.ClientId} is not {{\"auth\": {{name: string}}, \"address\": string}}");
            return;
        }

        lock (_sessionsGate)
        {
            if (_knownClients.Count >= _options.MaxKnownClients && !_knownClients.ContainsKey(info.ClientId))
            {
                Log.ClientInfoDropped(_logger, info.ClientId, _options.MaxKnownClients);
                return;
            }

            _knownClients[info.ClientId] = client!;
        }
    }

    private OfferingClient? KnownClient(uint clientId)
    {
        lock (_sessionsGate)
        {
            return _knownClients.GetValueOrDefault(clientId);
        }
    }

    /// <summary>The client's WebSocket to the master closed: forget it and release its session, even if WebRTC is still up.</summary>
    private void HandleClientLeft(ClientLeft left)
    {
        ClientSession? session;
        lock (_sessionsGate)
        {
            _knownClients.Remove(left.ClientId);
            _sessions.TryGetValue(left.ClientId, out session);
        }

        Log.ClientLeft(_logger, left.ClientId, session is not null);
        if (session is not null)
        {
            Track(ReleaseAsync(session, ClientReleaseReason.ClientLeft));
        }
    }
}
