using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Enslavism.Gateway.Tests.Infrastructure;
using Enslavism.Signaling;
using Microsoft.Extensions.DependencyInjection;
using static Enslavism.Gateway.Tests.Infrastructure.TestMessages;

namespace Enslavism.Gateway.Tests;

public sealed class MetricsTests
{
    [Fact]
    public async Task Meter_CountsConnectionsRelaysDropsAndProtocolErrors()
    {
        var slaveClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await MasterTestHost.StartAsync(o => o.Events.OnSlaveDisconnected = _ =>
        {
            slaveClosed.TrySetResult();
            return ValueTask.CompletedTask;
        });
        var totals = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this host's meter: other tests run their own masters in parallel.
            if (instrument.Meter.Name == EnslavismMasterMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => totals.AddOrUpdate(instrument.Name, value, (_, v) => v + value));
        listener.Start();

        await using var client = await host.ConnectClientAsync();
        await client.ReceiveAsync<AddSlaves>();
        await using var slave = await host.ConnectSlaveAsync();
        var slaveId = await RegisterAndLearnIdAsync(slave, client, "{}");
        await client.SendAsync(new OfferToSlave(slaveId + 100, "nobody"));
        await client.SendAsync(new OfferToSlave(slaveId, "sdp"));
        var clientId = (await slave.ReceiveAsync<OfferFromClient>()).ClientId;
        await slave.SendAsync(new RejectToClient(clientId));
        await client.ReceiveAsync<RejectFromSlave>();
        await using var bad = await host.ConnectSlaveAsync();
        await bad.SendRawAsync([99]);
        await bad.ReceiveCloseAsync();

        Assert.Equal(1, totals.GetValueOrDefault("enslavism.master.clients"));
        Assert.Equal(2, totals.GetValueOrDefault("enslavism.master.relayed_messages"));
        Assert.Equal(1, totals.GetValueOrDefault("enslavism.master.dropped_frames"));
        Assert.Equal(1, totals.GetValueOrDefault("enslavism.master.rejects"));
        Assert.Equal(1, totals.GetValueOrDefault("enslavism.master.protocol_errors"));

        // Two slaves opened; the bad one's decrement happens before its disconnected hook runs.
        await slaveClosed.Task.WaitAsync(TestPeer.Timeout);
        Assert.Equal(1, totals.GetValueOrDefault("enslavism.master.slaves"));
    }
}
