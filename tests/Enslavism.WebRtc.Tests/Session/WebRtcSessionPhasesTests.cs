using Enslavism.WebRtc.DataChannels;
using Enslavism.WebRtc.Session;

namespace Enslavism.WebRtc.Tests.Session;

/// <summary>Setup phase timestamps: taken from the virtual <c>now</c>, in protocol order.</summary>
public sealed class WebRtcSessionPhasesTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public void AnswererPhases_FollowTheVirtualClockInProtocolOrder()
    {
        var net = new SessionNetwork(41);
        var created = net.Now;
        net.RunUntil(() => net.BothConnected, Limit);
        net.Offerer.OpenChannel(net.Now, new DataChannelOptions { Label = "a" }, out _);
        net.Offerer.OpenChannel(net.Now, new DataChannelOptions { Label = "b" }, out _);
        net.RunUntil(() => net.AnswererEvents.OfType<ChannelOpened>().Count() == 2, Limit);

        var p = net.Answerer.Stats.Phases;
        Assert.Equal(created, p.Created);
        // The offerer's first check needs one one-way delay to arrive.
        Assert.Equal(created + net.Delay, p.FirstStunReceived);
        Assert.Equal(p.FirstStunReceived, p.IceFirstValid);
        Assert.NotNull(p.IceSelected);
        AssertOrdered(p.Created, p.FirstStunReceived, p.IceFirstValid, p.DtlsStarted, p.FirstDtlsReceived, p.FirstDtlsSent,
            p.LastHandshakeDatagramReceived, p.DtlsConnected, p.SctpEstablished, p.FirstChannelOpened, p.LastChannelOpened);
        // The answerer is the DTLS server: its handshake starts with the first DTLS datagram.
        Assert.Equal(p.DtlsStarted, p.FirstDtlsReceived);
        Assert.Equal(2, p.ChannelsOpened);
        Assert.True(p.LastChannelOpened <= net.Now);
        Assert.Equal((p.FirstStunReceived!.Value - created).TotalMilliseconds, p.MillisecondsSinceCreated(p.FirstStunReceived));
    }

    [Fact]
    public void OffererPhases_StartDtlsWhenIceSelects()
    {
        var net = new SessionNetwork(42);
        net.RunUntil(() => net.BothConnected, Limit);
        var p = net.Offerer.Stats.Phases;
        Assert.Equal(p.IceSelected, p.DtlsStarted);
        AssertOrdered(p.Created, p.IceFirstValid, p.IceSelected, p.FirstDtlsSent, p.FirstDtlsReceived, p.DtlsConnected, p.SctpEstablished);
        Assert.Null(p.FirstChannelOpened);
        Assert.Equal(0, p.ChannelsOpened);
    }

    [Fact]
    public void Phases_BeforeAnyInput_AreEmptyAndCloneIsIndependent()
    {
        var net = new SessionNetwork(43);
        var p = net.Answerer.Stats.Phases;
        Assert.Null(p.FirstStunReceived);
        Assert.Null(p.DtlsConnected);
        Assert.Null(p.MillisecondsSinceCreated(p.SctpEstablished));
        var snapshot = p.Clone();
        net.RunUntil(() => net.BothConnected, Limit);
        Assert.Null(snapshot.DtlsConnected);
        Assert.NotNull(p.DtlsConnected);
    }

    private static void AssertOrdered(params TimeSpan?[] phases)
    {
        for (var i = 0; i < phases.Length; i++)
        {
            Assert.True(phases[i].HasValue, $"phase #{i} missing");
            if (i > 0)
            {
                Assert.True(phases[i - 1] <= phases[i], $"phase #{i} ({phases[i]}) before phase #{i - 1} ({phases[i - 1]})");
            }
        }
    }
}
