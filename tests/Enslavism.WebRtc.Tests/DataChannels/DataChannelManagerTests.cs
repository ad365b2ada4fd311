using Enslavism.WebRtc.DataChannels;
using Enslavism.WebRtc.Sctp;
using Enslavism.WebRtc.Tests.Sctp;

namespace Enslavism.WebRtc.Tests.DataChannels;

internal sealed class ManagerEndpoint(DataChannelManager manager, List<DataChannelEvent> events) : IVirtualEndpoint
{
    public void HandleInput(TimeSpan now, ReadOnlySpan<byte> packet) => manager.HandleInput(now, packet);

    public void HandleTimeout(TimeSpan now) => manager.HandleTimeout(now);

    public TimeSpan? PollTimeout() => manager.PollTimeout();

    public bool TryPollTransmit(out ReadOnlyMemory<byte> packet) => manager.TryPollTransmit(out packet);

    public void DrainEvents()
    {
        while (manager.TryPollEvent(out var ev))
        {
            events.Add(ev!);
        }
    }
}

/// <summary>A = DTLS client (browser-like, even ids, sends INIT); B = DTLS server (us, odd ids, passive).</summary>
internal sealed class ChannelPair
{
    public ChannelPair(int seed, bool clientUsesOddIds = false)
    {
        Net = new SctpPair(seed);
        Client = new DataChannelManager(Net.A, new DataChannelManagerOptions { UseOddStreamIds = clientUsesOddIds });
        Server = new DataChannelManager(Net.B);
        Net.EndpointA = new ManagerEndpoint(Client, ClientEvents);
        Net.EndpointB = new ManagerEndpoint(Server, ServerEvents);
    }

    public SctpPair Net { get; }

    public DataChannelManager Client { get; }

    public DataChannelManager Server { get; }

    public List<DataChannelEvent> ClientEvents { get; } = [];

    public List<DataChannelEvent> ServerEvents { get; } = [];

    public TimeSpan Now => Net.Now;

    public void Establish()
    {
        Net.Connect();
        Net.RunUntil(() => ClientEvents.OfType<DataChannelTransportConnected>().Any() && ServerEvents.OfType<DataChannelTransportConnected>().Any(), TimeSpan.FromSeconds(30));
    }

    public static List<DataChannelMessageReceived> Messages(List<DataChannelEvent> events, DataChannel? channel = null) =>
        events.OfType<DataChannelMessageReceived>().Where(m => channel is null || m.Channel.Id == channel.Id).ToList();
}

public sealed class DataChannelManagerTests
{
    [Fact]
    public void InBandOpen_ClientChannelBeforeConnect_ServerGetsItWithOptionsAndBothExchange()
    {
        var pair = new ChannelPair(1);
        var options = new DataChannelOptions { Label = "game", Protocol = "v1", Ordered = false, Reliability = Reliability.MaxRetransmits(0) };
        var clientChannel = pair.Client.CreateChannel(pair.Now, options)!;
        Assert.Equal(0, clientChannel.Id);
        Assert.Equal(DataChannelState.Connecting, clientChannel.State);
        pair.Establish();
        pair.Net.RunUntil(() => pair.ServerEvents.OfType<DataChannelOpened>().Any(), TimeSpan.FromSeconds(5));

        var opened = pair.ServerEvents.OfType<DataChannelOpened>().Single();
        Assert.True(opened.OpenedByPeer);
        var serverChannel = opened.Channel;
        Assert.Equal((ushort)0, serverChannel.Id);
        Assert.Equal("game", serverChannel.Label);
        Assert.Equal("v1", serverChannel.Protocol);
        Assert.False(serverChannel.Ordered);
        Assert.Equal(Reliability.MaxRetransmits(0), serverChannel.Reliability);
        Assert.Equal(DataChannelState.Open, clientChannel.State);

        Assert.Equal(DataChannelSendResult.Queued, clientChannel.Send(pair.Now, "hello"));
        Assert.Equal(DataChannelSendResult.Queued, serverChannel.Send(pair.Now, new byte[] { 1, 2, 3 }));
        pair.Net.RunUntil(() => ChannelPair.Messages(pair.ServerEvents).Count == 1 && ChannelPair.Messages(pair.ClientEvents).Count == 1, TimeSpan.FromSeconds(5));
        var toServer = ChannelPair.Messages(pair.ServerEvents).Single();
        Assert.True(toServer.IsString);
        Assert.Equal("hello", toServer.Text);
        var toClient = ChannelPair.Messages(pair.ClientEvents).Single();
        Assert.False(toClient.IsString);
        Assert.Equal([1, 2, 3], toClient.Data);
    }

    [Fact]
    public void OpenerSendsOrderedUntilAck_ThenUnordered()
    {
        var pair = new ChannelPair(2);
        pair.Establish();
        var ackBlocked = true;
        // Hold back the server's DCEP ACK (PPID 50) for a while.
        pair.Net.BToA.DropFilter = p => ackBlocked && p != null && p.Chunks.OfType<DataChunk>().Any(d => d.Ppid == 50);
        var unorderedFlags = new List<bool>();
        pair.Net.OnTransmit = (fromA, bytes) =>
        {
            if (fromA && SctpPacket.TryParse(bytes, out var p, out _))
            {
                unorderedFlags.AddRange(p!.Chunks.OfType<DataChunk>().Where(d => d.Ppid != 50).Select(d => d.Unordered));
            }
        };
        var channel = pair.Client.CreateChannel(pair.Now, new DataChannelOptions { Label = "u", Ordered = false })!;
        channel.Send(pair.Now, "a");
        channel.Send(pair.Now, "b");
        pair.Net.RunFor(TimeSpan.FromMilliseconds(300));
        // Retransmissions may repeat them (the dropped packets also carried SACKs), but none may be unordered yet.
        Assert.True(unorderedFlags.Count >= 2);
        Assert.All(unorderedFlags, Assert.False);
        ackBlocked = false;
        pair.Net.RunUntil(() => ChannelPair.Messages(pair.ServerEvents).Count == 2, TimeSpan.FromSeconds(5));
        pair.Net.RunFor(TimeSpan.FromSeconds(3));
        channel.Send(pair.Now, "c");
        pair.Net.RunUntil(() => ChannelPair.Messages(pair.ServerEvents).Count == 3, TimeSpan.FromSeconds(5));
        Assert.True(unorderedFlags[^1]);
        Assert.Equal(["a", "b", "c"], ChannelPair.Messages(pair.ServerEvents).Select(m => m.Text));
    }

    [Fact]
    public void IdAllocation_ServerOdd_ClientEven_WrongParityPeerTolerated()
    {
        var pair = new ChannelPair(3, clientUsesOddIds: true);
        pair.Establish();
        // Like aiortc/werift: the DTLS client opens odd id 1.
        var clientChannel = pair.Client.CreateChannel(pair.Now, new DataChannelOptions { Label = "odd" })!;
        Assert.Equal(1, clientChannel.Id);
        pair.Net.RunUntil(() => pair.ServerEvents.OfType<DataChannelOpened>().Any(), TimeSpan.FromSeconds(5));
        Assert.Equal((ushort)1, pair.ServerEvents.OfType<DataChannelOpened>().Single().Channel.Id);

        var first = pair.Server.CreateChannel(pair.Now, new DataChannelOptions { Label = "s1" })!;
        var second = pair.Server.CreateChannel(pair.Now, new DataChannelOptions { Label = "s2" })!;
        Assert.Equal([3, 5], new[] { (int)first.Id, second.Id });
        pair.Net.RunUntil(() => pair.ClientEvents.OfType<DataChannelOpened>().Count(e => e.OpenedByPeer) == 2, TimeSpan.FromSeconds(5));
        Assert.Equal(["s1", "s2"], pair.ClientEvents.OfType<DataChannelOpened>().Where(e => e.OpenedByPeer).Select(e => e.Channel.Label));
    }

    [Fact]
    public void NegotiatedChannels_OpenOnConnectWithoutDcep()
    {
        var pair = new ChannelPair(4);
        var control = new DataChannelOptions { Label = "control" };
        var state = new DataChannelOptions { Label = "state", Ordered = false, Reliability = Reliability.MaxRetransmits(0) };
        var c0 = pair.Client.CreateNegotiatedChannel(pair.Now, 0, control)!;
        var c1 = pair.Client.CreateNegotiatedChannel(pair.Now, 1, state)!;
        var s0 = pair.Server.CreateNegotiatedChannel(pair.Now, 0, control)!;
        var s1 = pair.Server.CreateNegotiatedChannel(pair.Now, 1, state)!;
        Assert.Null(pair.Server.CreateNegotiatedChannel(pair.Now, 1, state));
        var dcepSeen = false;
        pair.Net.OnTransmit = (fromA, bytes) => dcepSeen |= SctpPacket.TryParse(bytes, out var p, out _) && p!.Chunks.OfType<DataChunk>().Any(d => d.Ppid == 50);
        pair.Establish();
        Assert.All(new[] { c0, c1, s0, s1 }, c => Assert.Equal(DataChannelState.Open, c.State));
        c0.Send(pair.Now, "ctl");
        s1.Send(pair.Now, new byte[] { 9 });
        pair.Net.RunUntil(() => ChannelPair.Messages(pair.ServerEvents, s0).Count == 1 && ChannelPair.Messages(pair.ClientEvents, c1).Count == 1, TimeSpan.FromSeconds(5));
        Assert.False(dcepSeen);
        Assert.Equal("ctl", ChannelPair.Messages(pair.ServerEvents, s0).Single().Text);
    }

    [Fact]
    public void EmptyMessages_UsePpid56And57WithOneByte_DeliveredEmpty()
    {
        var pair = new ChannelPair(5);
        var channel = pair.Client.CreateNegotiatedChannel(pair.Now, 0, new DataChannelOptions())!;
        pair.Server.CreateNegotiatedChannel(pair.Now, 0, new DataChannelOptions());
        pair.Establish();
        var wire = new List<(uint Ppid, int Length)>();
        pair.Net.OnTransmit = (fromA, bytes) =>
        {
            if (fromA && SctpPacket.TryParse(bytes, out var p, out _))
            {
                wire.AddRange(p!.Chunks.OfType<DataChunk>().Select(d => (d.Ppid, d.UserData.Length)));
            }
        };
        channel.Send(pair.Now, "");
        channel.Send(pair.Now, ReadOnlySpan<byte>.Empty);
        pair.Net.RunUntil(() => ChannelPair.Messages(pair.ServerEvents).Count == 2, TimeSpan.FromSeconds(5));
        Assert.Equal([(56u, 1), (57u, 1)], wire);
        var received = ChannelPair.Messages(pair.ServerEvents);
        Assert.True(received[0].IsString);
        Assert.Empty(received[0].Data);
        Assert.False(received[1].IsString);
        Assert.Empty(received[1].Data);
    }

    [Fact]
    public void DeprecatedPpids_52And54_DeliveredAsBinaryAndString()
    {
        var pair = new ChannelPair(6);
        pair.Client.CreateNegotiatedChannel(pair.Now, 0, new DataChannelOptions());
        pair.Server.CreateNegotiatedChannel(pair.Now, 0, new DataChannelOptions());
        pair.Establish();
        pair.Net.A.Send(pair.Now, 0, 52, new byte[] { 1 });
        pair.Net.A.Send(pair.Now, 0, 54, "s"u8);
        pair.Net.A.Send(pair.Now, 0, 99, "x"u8);
        pair.Net.RunUntil(() => ChannelPair.Messages(pair.ServerEvents).Count == 2 && pair.ServerEvents.OfType<DataChannelError>().Any(), TimeSpan.FromSeconds(5));
        var received = ChannelPair.Messages(pair.ServerEvents);
        Assert.False(received[0].IsString);
        Assert.True(received[1].IsString);
        Assert.Equal(DataChannelErrorKind.UnknownPpid, pair.ServerEvents.OfType<DataChannelError>().Single().Kind);
    }

    [Fact]
    public void Close_OneChannel_ClosesOnlyItOnBothSides_AndIdIsReusable()
    {
        var pair = new ChannelPair(7);
        pair.Establish();
        var a = pair.Client.CreateChannel(pair.Now, new DataChannelOptions { Label = "a" })!;
        var b = pair.Client.CreateChannel(pair.Now, new DataChannelOptions { Label = "b" })!;
        a.Send(pair.Now, "1");
        b.Send(pair.Now, "2");
        pair.Net.RunUntil(() => ChannelPair.Messages(pair.ServerEvents).Count == 2, TimeSpan.FromSeconds(5));
        var serverA = pair.ServerEvents.OfType<DataChannelOpened>().Single(e => e.Channel.Label == "a").Channel;

        a.Close(pair.Now);
        Assert.Equal(DataChannelState.Closing, a.State);
        Assert.Equal(DataChannelSendResult.NotOpen, a.Send(pair.Now, "late"));
        pair.Net.RunUntil(() => pair.ClientEvents.OfType<DataChannelClosed>().Any() && pair.ServerEvents.OfType<DataChannelClosed>().Any(), TimeSpan.FromSeconds(5));
        Assert.Same(a, pair.ClientEvents.OfType<DataChannelClosed>().Single().Channel);
        Assert.Same(serverA, pair.ServerEvents.OfType<DataChannelClosed>().Single().Channel);
        Assert.Equal(DataChannelState.Closed, serverA.State);

        b.Send(pair.Now, "still here");
        pair.Net.RunUntil(() => ChannelPair.Messages(pair.ServerEvents).Count == 3, TimeSpan.FromSeconds(5));
        Assert.Equal("still here", ChannelPair.Messages(pair.ServerEvents)[^1].Text);

        var again = pair.Client.CreateChannel(pair.Now, new DataChannelOptions { Label = "a2" })!;
        Assert.Equal(a.Id, again.Id);
        again.Send(pair.Now, "reborn");
        pair.Net.RunUntil(() => ChannelPair.Messages(pair.ServerEvents).Count == 4, TimeSpan.FromSeconds(5));
        Assert.Equal("a2", ChannelPair.Messages(pair.ServerEvents)[^1].Channel.Label);
    }

    [Fact]
    public void ServerClose_PeerOpenedChannel_ClosesOnClient()
    {
        var pair = new ChannelPair(8);
        pair.Establish();
        var clientChannel = pair.Client.CreateChannel(pair.Now, new DataChannelOptions { Label = "x" })!;
        pair.Net.RunUntil(() => pair.ServerEvents.OfType<DataChannelOpened>().Any(), TimeSpan.FromSeconds(5));
        pair.ServerEvents.OfType<DataChannelOpened>().Single().Channel.Close(pair.Now);
        pair.Net.RunUntil(() => clientChannel.State == DataChannelState.Closed && pair.ServerEvents.OfType<DataChannelClosed>().Any(), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void BufferedAmountLow_FiresOnceWhenQueueDrainsBelowThreshold()
    {
        var pair = new ChannelPair(9);
        var channel = pair.Client.CreateNegotiatedChannel(pair.Now, 0, new DataChannelOptions())!;
        pair.Server.CreateNegotiatedChannel(pair.Now, 0, new DataChannelOptions());
        pair.Establish();
        channel.BufferedAmountLowThreshold = 16 * 1024;
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(DataChannelSendResult.Queued, channel.Send(pair.Now, new byte[1000]));
        }

        Assert.Equal(100_000, channel.BufferedAmount);
        pair.Net.RunUntil(() => ChannelPair.Messages(pair.ServerEvents).Count == 100, TimeSpan.FromSeconds(30));
        Assert.Equal(0, channel.BufferedAmount);
        Assert.Single(pair.ClientEvents.OfType<DataChannelBufferedAmountLow>());
    }

    [Fact]
    public void TransportAbort_ClosesAllChannels()
    {
        var pair = new ChannelPair(10);
        pair.Establish();
        pair.Client.CreateChannel(pair.Now, new DataChannelOptions { Label = "1" });
        pair.Client.CreateChannel(pair.Now, new DataChannelOptions { Label = "2" });
        pair.Net.RunUntil(() => pair.ServerEvents.OfType<DataChannelOpened>().Count() == 2, TimeSpan.FromSeconds(5));
        pair.Net.A.Abort(pair.Now, "test");
        pair.Net.RunUntil(() => pair.ServerEvents.OfType<DataChannelTransportClosed>().Any(), TimeSpan.FromSeconds(5));
        Assert.Equal(2, pair.ServerEvents.OfType<DataChannelClosed>().Count());
        Assert.Empty(pair.Server.Channels);
    }

    [Fact]
    public void MalformedDcepAndDataOnUnknownStream_ReportErrorsWithoutThrowing()
    {
        var pair = new ChannelPair(11);
        pair.Establish();
        pair.Net.A.Send(pair.Now, 4, 50, new byte[] { 0x03, 0x99 });
        pair.Net.A.Send(pair.Now, 6, 53, new byte[] { 1 });
        pair.Net.RunUntil(() => pair.ServerEvents.OfType<DataChannelError>().Count() == 2, TimeSpan.FromSeconds(5));
        Assert.Equal([DataChannelErrorKind.MalformedDcep, DataChannelErrorKind.UnknownStream], pair.ServerEvents.OfType<DataChannelError>().Select(e => e.Kind));
        Assert.Empty(pair.Server.Channels);
    }

    [Fact]
    public void ReliableOrderedChannel_UnderLoss_DeliversAllInOrder()
    {
        var pair = new ChannelPair(12);
        pair.Establish();
        foreach (var link in new[] { pair.Net.AToB, pair.Net.BToA })
        {
            link.Loss = 0.1;
            link.Jitter = TimeSpan.FromMilliseconds(30);
        }

        var channel = pair.Client.CreateChannel(pair.Now, new DataChannelOptions { Label = "r" })!;
        for (var i = 0; i < 200; i++)
        {
            channel.Send(pair.Now, "m" + i);
        }

        pair.Net.RunUntil(() => ChannelPair.Messages(pair.ServerEvents).Count == 200, TimeSpan.FromMinutes(2));
        Assert.Equal(Enumerable.Range(0, 200).Select(i => "m" + i), ChannelPair.Messages(pair.ServerEvents).Select(m => m.Text));
    }
}

public sealed class DataChannelLimitTests
{
    [Fact]
    public void InboundOpens_BeyondMaxChannels_RefusedWithStreamReset()
    {
        var net = new SctpPair(20);
        var clientEvents = new List<DataChannelEvent>();
        var serverEvents = new List<DataChannelEvent>();
        var client = new DataChannelManager(net.A, new DataChannelManagerOptions { UseOddStreamIds = false });
        var server = new DataChannelManager(net.B, new DataChannelManagerOptions { MaxChannels = 2 });
        net.EndpointA = new ManagerEndpoint(client, clientEvents);
        net.EndpointB = new ManagerEndpoint(server, serverEvents);
        net.Establish();
        var channels = Enumerable.Range(0, 3).Select(i => client.CreateChannel(net.Now, new DataChannelOptions { Label = "c" + i })!).ToList();
        net.RunUntil(() => serverEvents.OfType<DataChannelError>().Any() && channels[2].State == DataChannelState.Closed, TimeSpan.FromSeconds(10));
        Assert.Equal(2, server.Channels.Count);
        Assert.Equal(DataChannelErrorKind.TooManyChannels, serverEvents.OfType<DataChannelError>().Single().Kind);
        Assert.Equal(DataChannelState.Open, channels[0].State);
    }

    [Fact]
    public void Shutdown_ClosesChannelsOnBothSides()
    {
        var pair = new ChannelPair(21);
        pair.Establish();
        var channel = pair.Client.CreateChannel(pair.Now, new DataChannelOptions { Label = "x" })!;
        channel.Send(pair.Now, "last words");
        pair.Client.Shutdown(pair.Now);
        pair.Net.RunUntil(() => pair.ServerEvents.OfType<DataChannelTransportClosed>().Any() && pair.ClientEvents.OfType<DataChannelTransportClosed>().Any(), TimeSpan.FromSeconds(10));
        Assert.Equal("last words", ChannelPair.Messages(pair.ServerEvents).Single().Text);
        Assert.Equal(DataChannelState.Closed, channel.State);
        Assert.Equal(SctpCloseReason.Shutdown, pair.ServerEvents.OfType<DataChannelTransportClosed>().Single().Reason);
    }
}
