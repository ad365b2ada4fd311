using System.Diagnostics;
using Enslavism.Signaling;

namespace Enslavism.Bench.Cluster.Scenarios;

/// <summary>
/// Sustained relaying: every client keeps a fixed window of offers in flight to its slave, which answers each at once.
/// On the cluster every node carries the same load at the same time — one slave and its clients per node, either on the
/// same node or with the clients one node further round the ring — so the figure per node is the total divided by the
/// node count. Bounded by the window duration and by a cap on answers; afterwards the in-flight offers are drained and
/// any that never got an answer are counted as lost.
/// </summary>
internal static class RelayThroughput
{
    private const string Measure = "relayed messages/s per node (offers + answers, sustained)";

    public static async Task RunAsync(BenchContext context)
    {
        var nodes = context.Cluster;
        var setups = new (string Name, (BenchNode Slave, BenchNode Client)[] Pairs, int Nodes)[]
        {
            ("single node, in-memory (anchor)", [(context.Anchor, context.Anchor)], 1),
            ($"cluster of {nodes.Length}, all loaded, clients on their slave's node",
                [.. nodes.Select(n => (n, n))], nodes.Length),
            ($"cluster of {nodes.Length}, all loaded, clients on the next node",
                [.. nodes.Select((n, i) => (n, nodes[(i + 1) % nodes.Length]))], nodes.Length),
        };
        foreach (var (name, pairs, nodeCount) in setups)
        {
            if (context.OverBudget)
            {
                context.Problem($"throughput '{name}' skipped: run budget spent");
                continue;
            }

            var (perSecond, lost, answers) = await MeasureAsync(context, pairs);
            context.Add(new ResultRow(Measure, name, "msg/s", Value: 2 * perSecond / nodeCount,
                Note: $"total {2 * perSecond:F0}/s, {answers} offer/answer pairs measured, lost {lost}"));
            if (lost != 0)
            {
                context.Problem($"throughput '{name}': {lost} offers never answered");
            }
        }
    }

    private static async Task<(double PerSecond, long Lost, long Answers)> MeasureAsync(
        BenchContext context, (BenchNode Slave, BenchNode Client)[] pairs)
    {
        var options = context.Options;
        var slaves = new List<SlaveProbe>();
        var clients = new List<(ClientProbe Client, uint SlaveId)>();
        try
        {
            foreach (var (slaveNode, clientNode) in pairs)
            {
                var slave = await SlaveProbe.ConnectAsync(slaveNode, context.NextName("load"));
                slaves.Add(slave);
                await slave.RegisterAsync();
                for (var i = 0; i < options.ThroughputClientsPerPair; i++)
                {
                    var client = await ClientProbe.ConnectAsync(clientNode);
                    clients.Add((client, 0));
                    await client.WaitAsync(c => c.Lists(slave.UserData), context.Timeout);
                    clients[^1] = (client, client.IdOf(slave.UserData));
                }
            }

            long answered = 0;
            using var stopSending = new CancellationTokenSource();
            var loops = clients.Select(c => Task.Run(() => ClientLoopAsync(c.Client, c.SlaveId))).ToArray();

            await Task.Delay(TimeSpan.FromSeconds(options.ThroughputWarmupSeconds));
            var startCount = Interlocked.Read(ref answered);
            var start = Stopwatch.GetTimestamp();
            await Task.WhenAny(Task.Delay(TimeSpan.FromSeconds(options.ThroughputSeconds)), Task.WhenAll(loops));
            var endCount = Interlocked.Read(ref answered);
            var elapsed = Stopwatch.GetElapsedTime(start);
            await stopSending.CancelAsync();
            var lost = (await Task.WhenAll(loops)).Sum();
            return ((endCount - startCount) / elapsed.TotalSeconds, lost, endCount - startCount);

            async Task<long> ClientLoopAsync(ClientProbe client, uint slaveId)
            {
                long sent = 0, received = 0;
                try
                {
                    for (var i = 0; i < options.ThroughputWindow; i++)
                    {
                        await client.Peer.SendAsync(new OfferToSlave(slaveId, Sdp.NewOffer()));
                        sent++;
                    }

                    while (!stopSending.IsCancellationRequested)
                    {
                        await client.Answers.ReadAsync(stopSending.Token);
                        received++;
                        if (Interlocked.Increment(ref answered) >= options.ThroughputMaxAnswers)
                        {
                            break;
                        }

                        await client.Peer.SendAsync(new OfferToSlave(slaveId, Sdp.NewOffer()));
                        sent++;
                    }
                }
                catch (OperationCanceledException) when (stopSending.IsCancellationRequested)
                {
                    // The window is over; drain below.
                }

                // Every offer in flight must still be answered: the relay may queue, never lose.
                using var drain = new CancellationTokenSource(context.Timeout);
                try
                {
                    while (received < sent)
                    {
                        await client.Answers.ReadAsync(drain.Token);
                        received++;
                    }
                }
                catch (OperationCanceledException) when (drain.IsCancellationRequested)
                {
                    // Reported as lost.
                }

                return sent - received;
            }
        }
        finally
        {
            foreach (var (client, _) in clients)
            {
                await client.DisposeAsync();
            }

            foreach (var slave in slaves)
            {
                await slave.DisposeAsync();
            }
        }
    }
}
