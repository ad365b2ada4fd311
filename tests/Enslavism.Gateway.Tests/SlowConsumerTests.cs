using System.Net.WebSockets;
using Enslavism.Gateway.Tests.Infrastructure;
using Enslavism.Signaling;
using static Enslavism.Gateway.Tests.Infrastructure.TestMessages;

namespace Enslavism.Gateway.Tests;

public sealed class SlowConsumerTests
{
    [Fact]
    public async Task ClientThatNeverReads_IsDisconnected_WhileAnotherClientKeepsReceiving()
    {
        var slowGone = new TaskCompletionSource<EnslavismConnectionContext>(TaskCreationOptions.RunContinuationsAsynchronously);
        uint? slowId = null;
        var slowConnected = new TaskCompletionSource<uint>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await MasterTestHost.StartAsync(o =>
        {
            o.SendQueueFrames = 8;
            o.SendQueueBytes = 256 * 1024;
            o.CloseTimeout = TimeSpan.FromSeconds(1);
            o.Events.OnClientConnected = c =>
            {
                slowConnected.TrySetResult(c.Id);
                return ValueTask.CompletedTask;
            };
            o.Events.OnClientDisconnected = c =>
            {
                if (c.Id == slowId)
                {
                    slowGone.TrySetResult(c);
                }

                return ValueTask.CompletedTask;
            };
        });

        // The slow client connects first (its id is the first client id) and then never calls ReceiveAsync.
        await using var slow = await host.ConnectClientAsync(o => o.SetBuffer(1024, 1024));
        slowId = await slowConnected.Task.WaitAsync(TestPeer.Timeout);
        await using var fast = await host.ConnectClientAsync();
        await fast.ReceiveAsync<AddSlaves>();
        await using var slave = await host.ConnectSlaveAsync();
        var slaveId = await RegisterAndLearnIdAsync(slave, fast, "{}");

        // Each re-register sends ~60 KB to every client; socket buffers fill, then the slow client's queue. Bounded.
        var padding = new string('x', 60_000);
        var updates = 0;
        for (; updates < 2000 && !slowGone.Task.IsCompleted; updates++)
        {
            await slave.SendAsync(new Register(Json($"\"{padding}{updates}\"")));
            Assert.Equal([slaveId], (await fast.ReceiveAsync<RemoveSlaves>()).Ids);
            var added = Assert.Single((await fast.ReceiveAsync<AddSlaves>()).Slaves);
            Assert.EndsWith($"{updates}\"", added.UserData.ToString(), StringComparison.Ordinal);
        }

        var gone = await slowGone.Task.WaitAsync(TestPeer.Timeout);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, gone.CloseStatus);
        Assert.StartsWith("SendQueueFull", gone.CloseReason, StringComparison.Ordinal);

        // The fast client is unaffected and keeps getting updates after the slow one is gone.
        await slave.SendAsync(new Register(Json("{\"after\":true}")));
        await fast.ReceiveAsync<RemoveSlaves>();
        Assert.Equal("{\"after\":true}", Assert.Single((await fast.ReceiveAsync<AddSlaves>()).Slaves).UserData.ToString());
    }
}
