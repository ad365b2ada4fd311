using Enslavism.Signaling;

namespace Enslavism.Bench.Cluster.Scenarios;

/// <summary>
/// A burst of offers from one client to a slave, sent without waiting, once with identical frames (a retransmitting
/// client) and once with distinct ones; each offer should get exactly one answer. Same node and cross node, so a
/// difference between the two paths shows. Bounded: a fixed burst, drained with the wait timeout.
/// </summary>
internal static class RelayDuplicates
{
    private const int Burst = 200;
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(BenchContext context)
    {
        var (a, b) = (context.Cluster[0], context.Cluster[1]);
        foreach (var (name, slaveNode, clientNode) in new[] { ("same node", a, a), ("cross node", b, a) })
        {
            foreach (var identical in new[] { false, true })
            {
                var answered = await BurstAsync(context, slaveNode, clientNode, identical);
                var setup = $"cluster, {name}, {Burst} {(identical ? "identical" : "distinct")} offers in a burst";
                context.Add(new ResultRow("offers answered (each offer must get one answer)", setup, "answers",
                    Value: answered, Note: $"of {Burst}"));
                if (answered != Burst)
                {
                    context.Problem($"{setup}: {Burst - answered} offers lost");
                }
            }
        }
    }

    private static async Task<int> BurstAsync(BenchContext context, BenchNode slaveNode, BenchNode clientNode, bool identical)
    {
        await using var slave = await SlaveProbe.ConnectAsync(slaveNode, context.NextName("dup"));
        await using var client = await ClientProbe.ConnectAsync(clientNode);
        await slave.RegisterAsync();
        await client.WaitAsync(c => c.Lists(slave.UserData), context.Timeout);
        var id = client.IdOf(slave.UserData);
        for (var i = 0; i < Burst; i++)
        {
            await client.Peer.SendAsync(new OfferToSlave(id, identical ? Sdp.FixedOffer : Sdp.NewOffer()));
        }

        var answered = 0;
        using var drain = new CancellationTokenSource(DrainTimeout);
        try
        {
            while (answered < Burst)
            {
                await client.Answers.ReadAsync(drain.Token);
                answered++;
            }
        }
        catch (OperationCanceledException) when (drain.IsCancellationRequested)
        {
            // Whatever has not arrived by now is reported as lost.
        }

        return answered;
    }
}
