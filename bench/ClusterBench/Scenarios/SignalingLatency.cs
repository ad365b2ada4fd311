using System.Diagnostics;
using Enslavism.Signaling;

namespace Enslavism.Bench.Cluster.Scenarios;

/// <summary>
/// Offer → answer round trip as the client sees it: client → master → slave → master → client. One client and one
/// answering slave per setup; the setups run interleaved in blocks so they share the machine's load swings.
/// </summary>
internal static class SignalingLatency
{
    private const int Blocks = 6;

    public static async Task RunAsync(BenchContext context)
    {
        var (a, b) = (context.Cluster[0], context.Cluster[1]);
        var setups = new (string Name, BenchNode SlaveNode, BenchNode ClientNode)[]
        {
            ("single node, in-memory (anchor)", context.Anchor, context.Anchor),
            ("cluster, client and slave on the same node", a, a),
            ("cluster, client and slave on different nodes", b, a),
        };
        var pairs = new List<(SlaveProbe Slave, ClientProbe Client, uint SlaveId)>();
        try
        {
            foreach (var (_, slaveNode, clientNode) in setups)
            {
                var slave = await SlaveProbe.ConnectAsync(slaveNode, context.NextName("sig"));
                var client = await ClientProbe.ConnectAsync(clientNode);
                pairs.Add((slave, client, 0));
                await slave.RegisterAsync();
                await client.WaitAsync(c => c.Lists(slave.UserData), context.Timeout);
                pairs[^1] = (slave, client, client.IdOf(slave.UserData));
            }

            var samples = setups.Select(_ => new List<double>(context.Options.SignalingRounds)).ToArray();
            for (var i = 0; i < pairs.Count; i++)
            {
                await RoundTripsAsync(pairs[i].Client, pairs[i].SlaveId, context.Options.SignalingWarmup, null, context.Timeout);
            }

            var perBlock = Math.Max(1, context.Options.SignalingRounds / Blocks);
            for (var block = 0; block < Blocks && !context.OverBudget; block++)
            {
                for (var i = 0; i < pairs.Count; i++)
                {
                    await RoundTripsAsync(pairs[i].Client, pairs[i].SlaveId, perBlock, samples[i], context.Timeout);
                }
            }

            for (var i = 0; i < setups.Length; i++)
            {
                context.Add(new ResultRow("signaling round trip (offer→answer)", setups[i].Name, "ms", Stats.Of(samples[i])));
            }
        }
        finally
        {
            foreach (var (slave, client, _) in pairs)
            {
                await client.DisposeAsync();
                await slave.DisposeAsync();
            }
        }
    }

    private static async Task RoundTripsAsync(ClientProbe client, uint slaveId, int count, List<double>? samples, TimeSpan timeout)
    {
        for (var i = 0; i < count; i++)
        {
            var sent = Stopwatch.GetTimestamp();
            await client.Peer.SendAsync(new OfferToSlave(slaveId, Sdp.NewOffer()));
            var arrived = await client.Answers.ReadAsync().AsTask().WaitAsync(timeout);
            samples?.Add(ClientProbe.Ms(sent, arrived));
        }
    }
}
