using System.Diagnostics.CodeAnalysis;
using System.Net;
using Enslavism.WebRtc.Dtls;
using Enslavism.WebRtc.Host;
using Enslavism.WebRtc.Session;
using Enslavism.WebRtc.Tests.Dtls;

namespace Enslavism.WebRtc.Tests.Host;

/// <summary>The endpoint's start-up warm-up: it completes, and it never stands in the way of a real session.</summary>
public sealed class EndpointWarmUpTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public void Run_InMemorySession_ConnectsAndEchoes()
    {
        var completed = EndpointWarmUp.Run(new WebRtcSessionFactoryOptions { Identity = DtlsTestSupport.ServerIdentity }, CancellationToken.None);
        Assert.True(completed);
    }

    [Fact]
    public void Run_Cancelled_ReturnsFalse()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.False(EndpointWarmUp.Run(new WebRtcSessionFactoryOptions { Identity = DtlsTestSupport.ServerIdentity }, cts.Token));
    }

    [Fact]
    public async Task Endpoint_WarmUpOff_ReportsFalseAtOnce()
    {
        await using var endpoint = new WebRtcEndpoint(new WebRtcEndpointOptions
        {
            BindEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Identity = DtlsTestSupport.ServerIdentity,
            WarmUp = false,
        });
        Assert.True(endpoint.WhenWarmedUp.IsCompleted);
        Assert.False(await endpoint.WhenWarmedUp);
    }

    [Fact]
    public async Task Endpoints_OfOneProcess_ShareOneSuccessfulWarmUp()
    {
        static WebRtcEndpoint New() => new(new WebRtcEndpointOptions
        {
            BindEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Identity = DtlsTestSupport.ServerIdentity,
        });

        await using var first = New();
        Assert.True(await first.WhenWarmedUp.WaitAsync(Limit));
        await using var second = New();
        Assert.Same(first.WhenWarmedUp, second.WhenWarmedUp);
    }

    [Fact]
    public async Task Endpoint_AcceptsARealSessionWhileTheWarmUpIsHeld_ThenTheWarmUpCompletes()
    {
        // The warm-up session is the only one whose DTLS peers both use the endpoint's own identity: hold exactly its
        // handshakes, so the real client provably connects while the warm-up is still running.
        var serverIdentity = DtlsTestSupport.ServerIdentity;
        using var release = new ManualResetEventSlim();
        var held = 0;
        IDtlsEngine Factory(DtlsRole role, DtlsIdentity identity, IReadOnlyList<DtlsFingerprint> remote, DtlsOptions options)
        {
            var engine = new BcDtlsEngine(role, identity, remote, options);
            if (!remote.Contains(serverIdentity.Fingerprint))
            {
                return engine;
            }

            Interlocked.Increment(ref held);
            return new HeldEngine(engine, release);
        }

        await using var server = new WebRtcEndpoint(new WebRtcEndpointOptions
        {
            BindEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Identity = serverIdentity,
            LoopbackOnly = true,
            DtlsEngineFactory = Factory,
        });
        await using var client = new WebRtcEndpoint(new WebRtcEndpointOptions
        {
            BindEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Identity = DtlsTestSupport.ClientIdentity,
            LoopbackOnly = true,
            WarmUp = false,
        });

        var offer = await client.CreateOfferAsync();
        var (answer, serverPeer) = await server.AcceptOfferAsync(offer.Sdp);
        serverPeer.DataChannel += channel => channel.Message += (c, m) => c.Send("echo:" + m.Text);
        var peer = await client.ConnectAsync(offer, answer);
        await peer.WhenConnected.WaitAsync(Limit);
        var channel = await peer.CreateDataChannelAsync("real");
        var echoed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        channel.Message += (_, m) => echoed.TrySetResult(m.Text);
        await channel.WhenOpen.WaitAsync(Limit);
        channel.Send("hello");
        Assert.Equal("echo:hello", await echoed.Task.WaitAsync(Limit));

        Assert.False(server.WhenWarmedUp.IsCompleted);
        Assert.True(Volatile.Read(ref held) >= 1);
        release.Set();
        Assert.True(await server.WhenWarmedUp.WaitAsync(Limit));
        Assert.Equal(2, Volatile.Read(ref held));
        Assert.Equal(1, server.LiveSessions);
    }

    /// <summary>Delegates to a real engine but keeps its blocking handshake from starting until released.</summary>
    private sealed class HeldEngine(IDtlsEngine inner, ManualResetEventSlim release) : IDtlsEngine
    {
        public DtlsRole Role => inner.Role;

        public DtlsEngineState State => inner.State;

        public int MaxApplicationDataSize => inner.MaxApplicationDataSize;

        public bool RequiresHandshakeWorker => inner.RequiresHandshakeWorker;

        public Action? OutputAvailable
        {
            get => inner.OutputAvailable;
            set => inner.OutputAvailable = value;
        }

        public void Start(TimeSpan now) => inner.Start(now);

        public void RunHandshake(CancellationToken cancellationToken)
        {
            release.Wait(cancellationToken);
            inner.RunHandshake(cancellationToken);
        }

        public void HandleInput(TimeSpan now, ReadOnlySpan<byte> datagram) => inner.HandleInput(now, datagram);

        public void HandleTimeout(TimeSpan now) => inner.HandleTimeout(now);

        public TimeSpan? PollTimeout() => inner.PollTimeout();

        public bool TryPollTransmit(out ReadOnlyMemory<byte> datagram) => inner.TryPollTransmit(out datagram);

        public bool TryPollEvent([NotNullWhen(true)] out DtlsEvent? dtlsEvent) => inner.TryPollEvent(out dtlsEvent);

        public DtlsSendResult Send(ReadOnlySpan<byte> applicationData) => inner.Send(applicationData);

        public int RecordOverhead => inner.RecordOverhead;

        public DtlsSendResult SendTo(ReadOnlySpan<byte> applicationData, Span<byte> destination, out int written) =>
            inner.SendTo(applicationData, destination, out written);

        public void Close() => inner.Close();

        public void Dispose() => inner.Dispose();
    }
}
