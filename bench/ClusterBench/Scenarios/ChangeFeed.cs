using System.Diagnostics;

namespace Enslavism.Bench.Cluster.Scenarios;

/// <summary>
/// A slave's Register → AddSlaves at every client on every node, and its close → RemoveSlaves. The registering node
/// rotates over the cluster; the anchor has as many clients on its single node.
/// </summary>
internal static class ChangeFeed
{
    public static async Task RunAsync(BenchContext context)
    {
        var perNode = context.Options.FeedClientsPerNode;
        var anchor = await MeasureAsync(context, [context.Anchor], perNode * context.Cluster.Length);
        var cluster = await MeasureAsync(context, context.Cluster, perNode);

        const string Add = "change feed: Register → AddSlaves";
        const string Remove = "change feed: slave socket closed → RemoveSlaves";
        context.Add(new ResultRow(Add, "single node, in-memory (anchor), every client", "ms", Stats.Of(anchor.AddAll)));
        context.Add(new ResultRow(Add, "cluster, clients on the slave's node", "ms", Stats.Of(cluster.AddSame)));
        context.Add(new ResultRow(Add, "cluster, clients on the other nodes", "ms", Stats.Of(cluster.AddOther)));
        context.Add(new ResultRow(Add, "single node (anchor), last client per registration", "ms", Stats.Of(anchor.AddLast)));
        context.Add(new ResultRow(Add, "cluster, last client on any node per registration", "ms", Stats.Of(cluster.AddLast)));
        context.Add(new ResultRow(Remove, "single node, in-memory (anchor), every client", "ms", Stats.Of(anchor.RemoveAll)));
        context.Add(new ResultRow(Remove, "cluster, clients on the slave's node", "ms", Stats.Of(cluster.RemoveSame)));
        context.Add(new ResultRow(Remove, "cluster, clients on the other nodes", "ms", Stats.Of(cluster.RemoveOther)));
    }

    private sealed class Samples
    {
        public List<double> AddAll { get; } = [];
        public List<double> AddSame { get; } = [];
        public List<double> AddOther { get; } = [];
        public List<double> AddLast { get; } = [];
        public List<double> RemoveAll { get; } = [];
        public List<double> RemoveSame { get; } = [];
        public List<double> RemoveOther { get; } = [];
    }

    private static async Task<Samples> MeasureAsync(BenchContext context, BenchNode[] nodes, int clientsPerNode)
    {
        var samples = new Samples();
        var clients = new List<ClientProbe>();
        try
        {
            foreach (var node in nodes)
            {
                for (var i = 0; i < clientsPerNode; i++)
                {
                    clients.Add(await ClientProbe.ConnectAsync(node));
                }
            }

            for (var round = 0; round < context.Options.FeedRounds && !context.OverBudget; round++)
            {
                var node = nodes[round % nodes.Length];
                await using var slave = await SlaveProbe.ConnectAsync(node, context.NextName("feed"));
                var registered = Stopwatch.GetTimestamp();
                await slave.RegisterAsync();
                await Task.WhenAll(clients.Select(c => c.WaitAsync(p => p.Lists(slave.UserData), context.Timeout)));
                var last = 0.0;
                foreach (var client in clients)
                {
                    var ms = ClientProbe.Ms(registered, client.AddedAt(slave.UserData));
                    samples.AddAll.Add(ms);
                    (client.Node == node ? samples.AddSame : samples.AddOther).Add(ms);
                    last = Math.Max(last, ms);
                }

                samples.AddLast.Add(last);

                var id = clients[0].IdOf(slave.UserData);
                var closed = Stopwatch.GetTimestamp();
                await slave.Peer.CloseAsync();
                await Task.WhenAll(clients.Select(c => c.WaitAsync(p => !p.Lists(id), context.Timeout)));
                foreach (var client in clients)
                {
                    var ms = ClientProbe.Ms(closed, client.RemovedAt(id));
                    samples.RemoveAll.Add(ms);
                    (client.Node == node ? samples.RemoveSame : samples.RemoveOther).Add(ms);
                }
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }

        return samples;
    }
}
