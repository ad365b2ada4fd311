using System.Diagnostics;

namespace Enslavism.Bench.Cluster.Scenarios;

/// <summary>
/// A node dies: its slaves must disappear from every client on the surviving nodes. Each round starts a fresh extra node
/// (logging in as its own role), puts slaves on it and clients on every surviving node, then either
/// <list type="bullet">
/// <item>abrupt: the role may no longer log in and its backends are terminated (the database sees the host vanish; nothing
/// it still runs can write a goodbye), then the node is stopped with <c>LeaveOnShutdown = false</c>; or</item>
/// <item>graceful: a normal stop with <c>LeaveOnShutdown = true</c>, for comparison.</item>
/// </list>
/// The anchor is a slave process crashing on the single in-memory node (its socket aborted, no close handshake).
/// Every surviving node also has a slave of its own; any removal of those is counted as spurious.
/// </summary>
internal static class Failover
{
    private const string Role = "ens_doomed";
    private const string Measure = "failover: death → slaves removed at clients on the other nodes";

    public static async Task RunAsync(BenchContext context)
    {
        await context.Postgres.CreateRoleAsync(Role);
        var abrupt = new List<double>();
        var graceful = new List<double>();
        var anchor = new List<double>();
        for (var round = 1; round <= context.Options.FailoverRounds; round++)
        {
            if (context.OverBudget)
            {
                context.Problem($"failover rounds from {round} skipped: run budget spent");
                break;
            }

            abrupt.AddRange(await NodeDeathAsync(context, round, abruptly: true));
            graceful.AddRange(await NodeDeathAsync(context, round, abruptly: false));
            anchor.AddRange(await SlaveCrashOnSingleNodeAsync(context, round));
        }

        context.Add(new ResultRow(Measure, "single node (anchor): slave process crash (socket aborted)", "ms", Stats.Of(anchor)));
        context.Add(new ResultRow(Measure, "cluster: abrupt node death (backends killed, no leave)", "ms", Stats.Of(abrupt),
            Note: "per remote client; bounded by the janitor period (HeartbeatInterval 1 s), lease 3 s"));
        context.Add(new ResultRow(Measure, "cluster: graceful node stop (LeaveOnShutdown)", "ms", Stats.Of(graceful)));
    }

    private static async Task<double[]> NodeDeathAsync(BenchContext context, int round, bool abruptly)
    {
        var survivors = context.Cluster;
        await context.Postgres.AllowLoginAsync(Role);
        var doomed = await BenchNode.StartAsync($"doomed-{round}-{(abruptly ? "abrupt" : "graceful")}",
            context.ConnectionStringFor(Role), leaveOnShutdown: !abruptly);
        var slaves = new List<SlaveProbe>();
        var clients = new List<ClientProbe>();
        var bystanders = new List<SlaveProbe>();
        try
        {
            foreach (var node in survivors)
            {
                clients.Add(await ClientProbe.ConnectAsync(node));
                var bystander = await SlaveProbe.ConnectAsync(node, context.NextName("bystander"));
                bystanders.Add(bystander);
                await bystander.RegisterAsync();
            }

            for (var i = 0; i < context.Options.FailoverSlaves; i++)
            {
                var slave = await SlaveProbe.ConnectAsync(doomed, context.NextName("doomed"));
                slaves.Add(slave);
                await slave.RegisterAsync();
            }

            await Task.WhenAll(clients.Select(c => c.WaitAsync(
                p => slaves.Concat(bystanders).All(s => p.Lists(s.UserData)), context.Timeout)));
            var doomedIds = slaves.Select(s => clients[0].IdOf(s.UserData)).ToArray();
            var bystanderIds = bystanders.Select(s => clients[0].IdOf(s.UserData)).ToArray();
            var before = clients.Select(c => c.Counts()).ToArray();

            var died = Stopwatch.GetTimestamp();
            Task stopping;
            if (abruptly)
            {
                await context.Postgres.CutOffAsync(Role);
                // The process goes down too (its sockets close), but it can no longer reach the database to say so.
                stopping = doomed.StopAsync();
            }
            else
            {
                stopping = doomed.StopAsync();
            }

            await Task.WhenAll(clients.Select(c => c.WaitAsync(p => doomedIds.All(id => !p.Lists(id)), context.Timeout)));
            var removed = clients.Select(c => doomedIds.Max(id => ClientProbe.Ms(died, c.RemovedAt(id)))).ToArray();
            await stopping;

            var spurious = clients.Sum(c => bystanderIds.Count(id => !c.Lists(id)));
            var unknown = clients.Sum(c => c.UnknownRemoves);
            var extraRemoves = clients.Select((c, i) => c.Counts().Removes - before[i].Removes - doomedIds.Length).Sum();
            context.Results.FailoverRounds.Add(new FailoverRound(abruptly ? "abrupt" : "graceful", round, slaves.Count,
                clients.Count, removed, spurious + extraRemoves, unknown));
            Console.WriteLine($"  failover round {round} ({(abruptly ? "abrupt" : "graceful")}): removed after " +
                              string.Join(", ", removed.Select(ms => $"{ms:F0}")) + " ms");
            if (spurious + extraRemoves + unknown != 0)
            {
                context.Problem($"failover round {round}: {spurious + extraRemoves} spurious removes, {unknown} unknown removes");
            }

            return removed;
        }
        finally
        {
            foreach (var probe in slaves.Concat(bystanders))
            {
                await probe.DisposeAsync();
            }

            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }

            await doomed.DisposeAsync();
        }
    }

    private static async Task<double[]> SlaveCrashOnSingleNodeAsync(BenchContext context, int round)
    {
        var node = context.Anchor;
        var clients = new List<ClientProbe>();
        var slaves = new List<SlaveProbe>();
        try
        {
            for (var i = 0; i < context.Cluster.Length; i++)
            {
                clients.Add(await ClientProbe.ConnectAsync(node));
            }

            for (var i = 0; i < context.Options.FailoverSlaves; i++)
            {
                var slave = await SlaveProbe.ConnectAsync(node, context.NextName($"crash-{round}"));
                slaves.Add(slave);
                await slave.RegisterAsync();
            }

            await Task.WhenAll(clients.Select(c => c.WaitAsync(p => slaves.All(s => p.Lists(s.UserData)), context.Timeout)));
            var ids = slaves.Select(s => clients[0].IdOf(s.UserData)).ToArray();
            var died = Stopwatch.GetTimestamp();
            foreach (var slave in slaves)
            {
                slave.Peer.Abort();
            }

            await Task.WhenAll(clients.Select(c => c.WaitAsync(p => ids.All(id => !p.Lists(id)), context.Timeout)));
            return [.. clients.Select(c => ids.Max(id => ClientProbe.Ms(died, c.RemovedAt(id))))];
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
