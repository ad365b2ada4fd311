using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Enslavism.Cluster.Tests.Infrastructure;
using Enslavism.Grains.Postgres.Diagnostics;
using Enslavism.Signaling;

namespace Enslavism.Cluster.Tests;

[Collection(PostgresCollection.Name)]
public sealed class MetricsTests(PostgresServer server) : ClusterTestBase(server)
{
    [Fact]
    public async Task FeedLagAndRelayCounts_AreMeasured()
    {
        var (a, b) = (await StartNodeAsync("a"), await StartNodeAsync("b"));
        var recorded = new ConcurrentQueue<(string Name, double Value, string? Tag)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ClusterMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => recorded.Enqueue((i.Name, v, null)));
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) =>
            recorded.Enqueue((i.Name, v, tags.Length > 0 ? $"{tags[0].Key}={tags[0].Value}" : null)));
        listener.Start();

        var onB = await RecordingObserver.SubscribeAsync(b.Registry);
        var slave = await a.AddSlaveAsync("{}");
        await onB.WaitForIdsAsync([slave.Id], Timeout);
        var client = await b.AddClientAsync();
        Assert.True(await b.Factory.GetSlave(slave.Id).DeliverFromClientAsync(client.Id, new OfferFromClient(client.Id, "v=0\r\n")));
        await slave.Endpoint.ReceiveAsync(Timeout);

        // The sender counts a batch after it commits; once a later message arrived, the earlier one was counted.
        Assert.True(await b.Factory.GetSlave(slave.Id).DeliverFromClientAsync(client.Id, new OfferFromClient(client.Id, "v=0\r\n")));
        await slave.Endpoint.ReceiveAsync(Timeout);
        Assert.False(await b.Factory.GetSlave(99_999).DeliverFromClientAsync(client.Id, new OfferFromClient(client.Id, "v=0\r\n")));

        Assert.Contains(recorded, r => r.Name == "enslavism.cluster.feed.lag" && r.Value >= 0);
        Assert.Contains(recorded, r => r.Name == "enslavism.cluster.feed.applied");
        Assert.Contains(recorded, r => r.Name == "enslavism.cluster.relay.sent" && r.Tag == "path=notify");
        Assert.Contains(recorded, r => r.Name == "enslavism.cluster.relay.received");
        Assert.Contains(recorded, r => r.Name == "enslavism.cluster.relay.dropped" && r.Tag == "reason=NoRoute");
    }
}
