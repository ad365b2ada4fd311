using System.Threading.Channels;
using Enslavism.Signaling;

namespace Enslavism.SlaveHost.Tests.Infrastructure;

/// <summary>A <see cref="FakeMaster"/>, a connected <see cref="SlaveConnection"/> with fake peers, and the master's socket to it.</summary>
internal sealed class SlaveHarness : IAsyncDisposable
{
    private readonly Channel<ClientAcceptedEventArgs> _accepted = Channel.CreateUnbounded<ClientAcceptedEventArgs>();
    private readonly Channel<ClientReleasedEventArgs> _released = Channel.CreateUnbounded<ClientReleasedEventArgs>();

    private SlaveHarness(FakeMaster master, SlaveConnection slave, FakePeerConnectionFactory peers, MetricRecorder metrics)
    {
        Master = master;
        Slave = slave;
        Peers = peers;
        Metrics = metrics;
        slave.ClientAccepted += (_, e) => _accepted.Writer.TryWrite(e);
        slave.ClientReleased += (_, e) => _released.Writer.TryWrite(e);
    }

    public FakeMaster Master { get; }

    public SlaveConnection Slave { get; }

    public FakePeerConnectionFactory Peers { get; }

    public MetricRecorder Metrics { get; }

    public FakeSlaveSocket Socket { get; private set; } = null!;

    public static async Task<SlaveHarness> StartAsync(
        Action<SlaveOptions>? configure = null,
        Action<SlaveConnection>? beforeConnect = null,
        bool manualAnswers = false)
    {
        var options = new SlaveOptions();
        configure?.Invoke(options);
        var master = await FakeMaster.StartAsync();
        var peers = new FakePeerConnectionFactory { ManualAnswers = manualAnswers };
        var metrics = new MetricRecorder();
        var slave = new SlaveConnection(peers, options, meterFactory: metrics.MeterFactory);
        var harness = new SlaveHarness(master, slave, peers, metrics);
        beforeConnect?.Invoke(slave);
        await slave.ConnectAsync(master.BaseUrl, JsonUserData.Parse("""{"name":"test"}"""));
        harness.Socket = await master.NextSlaveAsync();
        await harness.Socket.ReceiveAsync<Register>();
        return harness;
    }

    public Task<ClientAcceptedEventArgs> NextAcceptedAsync() => _accepted.Reader.ReadAsync().AsTask().Within("ClientAccepted");

    public Task<ClientReleasedEventArgs> NextReleasedAsync() => _released.Reader.ReadAsync().AsTask().Within("ClientReleased");

    /// <summary>
    /// Sends an offer as the master relays it and returns the peer connection created for it, once the slave has bound
    /// it (its offer handed over, or the peer disposed because the session closed meanwhile). The factory publishes
    /// the peer before the slave subscribes to its events, so a test raising local candidates right after the
    /// factory call could otherwise race the subscription and lose them.
    /// </summary>
    public async Task<FakePeerConnection> OfferAsync(uint clientId, string sdp = "v=0 offer")
    {
        await Socket.SendAsync(new OfferFromClient(clientId, sdp));
        var peer = await Peers.NextAsync();
        await Task.WhenAny(peer.Offer, peer.Disposed).Within($"the slave to bind the peer of client {clientId}");
        return peer;
    }

    public async ValueTask DisposeAsync()
    {
        await Slave.DisposeAsync();
        await Master.DisposeAsync();
        Metrics.Dispose();
    }
}
