using System.Diagnostics;
using Enslavism.Signaling;

namespace Enslavism.Bench.Cluster.Scenarios;

/// <summary>
/// The database restarts (fast shutdown, then start on the same data) under a cluster with slaves and clients on every
/// node. Measured: how long it was down, how long after it accepted connections again every node's <c>/healthz</c> said
/// Healthy, and how long until a cross-node offer was answered again. Counted: any AddSlaves/RemoveSlaves a client saw
/// from the stop until a quiet period after the nodes were healthy again — none is expected, nothing changed.
/// </summary>
internal static class PostgresRestart
{
    private static readonly TimeSpan HealthPollInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan OfferRetryInterval = TimeSpan.FromMilliseconds(250);

    public static async Task RunAsync(BenchContext context)
    {
        var healthy = new List<double>();
        var stopToHealthy = new List<double>();
        var firstAnswer = new List<double>();
        long adds = 0, removes = 0;
        var rounds = 0;
        for (var round = 1; round <= context.Options.RestartRounds; round++)
        {
            if (context.OverBudget)
            {
                context.Problem($"restart rounds from {round} skipped: run budget spent");
                break;
            }

            var result = await RoundAsync(context, round);
            context.Results.RestartRounds.Add(result);
            Console.WriteLine($"  restart round {round}: down {result.DownMs:F0} ms, healthy {result.ReadyToAllHealthyMs:F0} ms after ready, " +
                              $"cross-node answer {result.FirstCrossNodeAnswerMs:F0} ms after ready ({result.CrossNodeOffersUnanswered} offers unanswered before), flaps +{result.SpuriousAdds}/-{result.SpuriousRemoves}, " +
                              $"health while down: {string.Join(",", result.HealthSeenWhileDown)}");
            healthy.Add(result.ReadyToAllHealthyMs);
            stopToHealthy.Add(result.StopToAllHealthyMs);
            firstAnswer.Add(result.FirstCrossNodeAnswerMs);
            adds += result.SpuriousAdds;
            removes += result.SpuriousRemoves;
            rounds++;
            if (!result.ListsIntact)
            {
                context.Problem($"restart round {round}: a client's list differs from the registered slaves afterwards");
            }
        }

        const string Measure = "PostgreSQL restart";
        context.Add(new ResultRow(Measure, "database ready → every node /healthz Healthy", "ms", Stats.Of(healthy)));
        context.Add(new ResultRow(Measure, "stop issued → every node /healthz Healthy", "ms", Stats.Of(stopToHealthy)));
        context.Add(new ResultRow(Measure, "database ready → first cross-node offer answered (offers sent once all Healthy, retried every 250 ms)", "ms", Stats.Of(firstAnswer)));
        context.Add(new ResultRow(Measure, "cross-node offers lost after the nodes reported Healthy", "count",
            Value: context.Results.RestartRounds.Sum(r => r.CrossNodeOffersUnanswered), Note: $"{rounds} restarts"));
        context.Add(new ResultRow(Measure, "spurious AddSlaves entries seen by clients", "count", Value: adds,
            Note: $"{rounds} restarts, {context.Cluster.Length * 2} clients, {context.Cluster.Length * 2} slaves"));
        context.Add(new ResultRow(Measure, "spurious RemoveSlaves entries seen by clients", "count", Value: removes,
            Note: $"{rounds} restarts"));
    }

    private static async Task Step(string what, Task task)
    {
        try
        {
            await task;
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException($"timed out: {what}", exception);
        }
    }

    private static async Task<RestartRound> RoundAsync(BenchContext context, int round)
    {
        var nodes = context.Cluster;
        var slaves = new List<SlaveProbe>();
        var clients = new List<ClientProbe>();
        try
        {
            foreach (var node in nodes)
            {
                for (var i = 0; i < 2; i++)
                {
                    var slave = await SlaveProbe.ConnectAsync(node, context.NextName($"restart-{round}"));
                    slaves.Add(slave);
                    await slave.RegisterAsync();
                    clients.Add(await ClientProbe.ConnectAsync(node));
                }
            }

            await Step("clients list every slave before the restart",
                Task.WhenAll(clients.Select(c => c.WaitAsync(p => slaves.All(s => p.Lists(s.UserData)), context.Timeout))));
            var ids = slaves.Select(s => clients[0].IdOf(s.UserData)).ToHashSet();
            var before = clients.Select(c => c.Counts()).ToArray();

            var stopped = Stopwatch.GetTimestamp();
            await context.Postgres.StopAsync();
            // What a load balancer would see while the database is down (one probe per node).
            var whileDown = await Task.WhenAll(nodes.Select(n => n.HealthAsync()));
            await context.Postgres.StartAsync();
            var ready = Stopwatch.GetTimestamp();

            // Poll /healthz as an orchestrator would; bounded by the wait timeout.
            using (var timeout = new CancellationTokenSource(context.Timeout))
            {
                string[] health;
                while (!(health = await Task.WhenAll(nodes.Select(n => n.HealthAsync()))).All(s => s == "Healthy"))
                {
                    try
                    {
                        await Task.Delay(HealthPollInterval, timeout.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        throw new TimeoutException($"nodes not Healthy {context.Timeout} after the restart: {string.Join(", ", health)}");
                    }
                }
            }

            var allHealthy = Stopwatch.GetTimestamp();

            // A client on the first node offers to a slave on the last one, retrying as a browser's signaling would, until
            // one is answered; offers that got no answer are counted (the relay is at most once across a lost connection).
            var client = clients[0];
            var remote = clients[0].IdOf(slaves[^1].UserData);
            var answered = 0L;
            var unanswered = -1;
            using (var timeout = new CancellationTokenSource(context.Timeout))
            {
                while (answered == 0)
                {
                    unanswered++;
                    await client.Peer.SendAsync(new OfferToSlave(remote, Sdp.NewOffer()));
                    using var retry = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
                    retry.CancelAfter(OfferRetryInterval);
                    try
                    {
                        answered = await client.Answers.ReadAsync(retry.Token);
                    }
                    catch (OperationCanceledException) when (!timeout.IsCancellationRequested)
                    {
                        // Retry.
                    }
                    catch (OperationCanceledException)
                    {
                        throw new TimeoutException($"no cross-node offer answered within {context.Timeout} of the nodes being Healthy");
                    }
                }
            }

            // A late answer to an offer that was only slow, not lost, would otherwise be counted by the next round.
            while (client.Answers.TryRead(out _))
            {
                unanswered--;
            }

            // Watch for flaps through a lease and several janitor runs after the return.
            await Task.Delay(TimeSpan.FromSeconds(context.Options.RestartQuietSeconds));
            var after = clients.Select(c => c.Counts()).ToArray();
            var intact = clients.All(c => c.Count == ids.Count && ids.All(c.Lists));
            return new RestartRound(round,
                DownMs: ClientProbe.Ms(stopped, ready),
                ReadyToAllHealthyMs: ClientProbe.Ms(ready, allHealthy),
                StopToAllHealthyMs: ClientProbe.Ms(stopped, allHealthy),
                FirstCrossNodeAnswerMs: ClientProbe.Ms(ready, answered),
                CrossNodeOffersUnanswered: Math.Max(0, unanswered),
                SpuriousAdds: after.Select((a, i) => a.Adds - before[i].Adds).Sum(),
                SpuriousRemoves: after.Select((a, i) => a.Removes - before[i].Removes).Sum(),
                ListsIntact: intact,
                HealthSeenWhileDown: whileDown);
        }
        finally
        {
            foreach (var probe in slaves)
            {
                await probe.DisposeAsync();
            }

            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }
}
