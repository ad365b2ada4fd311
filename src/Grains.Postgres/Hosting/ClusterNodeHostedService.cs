using Microsoft.Extensions.Hosting;

namespace Enslavism.Grains.Postgres;

/// <summary>Starts the node before the server accepts sockets and leaves the cluster when the host stops.</summary>
internal sealed class ClusterNodeHostedService : IHostedService
{
    private readonly ClusterNode _node;

    public ClusterNodeHostedService(ClusterNode node) => _node = node;

    public Task StartAsync(CancellationToken cancellationToken) => _node.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => _node.StopAsync(cancellationToken);
}
