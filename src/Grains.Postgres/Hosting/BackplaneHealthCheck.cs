using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Enslavism.Grains.Postgres;

/// <summary>
/// Healthy with a live session; Degraded while reconnecting, since the node still serves its own sockets and last
/// known list but cannot reach other nodes or register new entities.
/// </summary>
internal sealed class BackplaneHealthCheck : IHealthCheck
{
    private readonly ClusterNode _node;

    public BackplaneHealthCheck(ClusterNode node) => _node = node;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["provider"] = "Postgres",
            ["nodeId"] = _node.NodeId.ToString("x", System.Globalization.CultureInfo.InvariantCulture),
            ["nodeName"] = _node.NodeName,
            ["connected"] = _node.IsConnected,
            ["feedCursor"] = _node.FeedCursor,
            ["feedPending"] = _node.FeedPending,
        };
        if (_node.LastError is { } error)
        {
            data["lastError"] = error;
        }

        return Task.FromResult(_node.IsConnected
            ? HealthCheckResult.Healthy("Backplane session live.", data)
            : HealthCheckResult.Degraded("Backplane unreachable; reconnecting.", data: data));
    }
}
