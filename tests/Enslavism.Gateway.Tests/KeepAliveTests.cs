using Enslavism.Gateway.Tests.Infrastructure;

namespace Enslavism.Gateway.Tests;

public sealed class KeepAliveTests
{
    [Fact]
    public async Task PeerThatNeverAnswersPings_IsDropped()
    {
        var dropped = new TaskCompletionSource<uint>(TaskCreationOptions.RunContinuationsAsynchronously);
        var connected = new TaskCompletionSource<uint>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await MasterTestHost.StartAsync(o =>
        {
            o.KeepAliveInterval = TimeSpan.FromMilliseconds(100);
            o.KeepAliveTimeout = TimeSpan.FromMilliseconds(300);
            o.Events.OnSlaveConnected = c =>
            {
                connected.TrySetResult(c.Id);
                return ValueTask.CompletedTask;
            };
            o.Events.OnSlaveDisconnected = c =>
            {
                dropped.TrySetResult(c.Id);
                return ValueTask.CompletedTask;
            };
        });

        // A ClientWebSocket answers pings only while a receive is pending; this slave never receives.
        await using var mute = await host.ConnectSlaveAsync();
        var muteId = await connected.Task.WaitAsync(TestPeer.Timeout);

        Assert.Equal(muteId, await dropped.Task.WaitAsync(TestPeer.Timeout));
    }
}
