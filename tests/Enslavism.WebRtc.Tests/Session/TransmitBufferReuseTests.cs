using Enslavism.WebRtc.DataChannels;
using Enslavism.WebRtc.Session;

namespace Enslavism.WebRtc.Tests.Session;

public sealed class TransmitBufferReuseTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BulkBothWays_ReleasedBuffersAreReusedAndEveryMessageArrivesIntact(bool realDtls)
    {
        // SessionNetwork poisons every released buffer: a session that read one after release, or lent one twice,
        // would corrupt a payload here.
        var net = new SessionNetwork(21, fakeDtls: !realDtls);
        using var cts = new CancellationTokenSource(Limit);
        void Run(Func<bool> condition)
        {
            if (realDtls)
            {
                net.RunThreaded(condition, cts.Token);
            }
            else
            {
                net.RunUntil(condition, Limit);
            }
        }

        Run(() => net.BothConnected);

        var channel = net.Offerer.OpenChannel(net.Now, new DataChannelOptions { Label = "bulk" }, out _);
        Assert.NotNull(channel);
        net.OnEvent = (session, e) =>
        {
            if (session == net.Answerer && e is ChannelMessage m)
            {
                session.Send(net.Now, m.Channel, m.Data);
            }
        };
        Run(() => net.AnswererEvents.OfType<ChannelOpened>().Any());
        var random = new Random(21);
        var sent = new List<byte[]>();
        for (var i = 0; i < 24; i++)
        {
            var message = new byte[random.Next(1, 20_000)];
            random.NextBytes(message);
            sent.Add(message);
            Assert.Equal(DataChannelSendResult.Queued, net.Offerer.Send(net.Now, channel, message));
        }

        net.Flush();
        Run(() => net.OffererEvents.OfType<ChannelMessage>().Count() == sent.Count);
        Assert.Equal(sent, net.OffererEvents.OfType<ChannelMessage>().Select(m => m.Data.ToArray()));
        Assert.Equal(sent, net.AnswererEvents.OfType<ChannelMessage>().Select(m => m.Data.ToArray()));
        // Every DATA packet both ways went through a pooled buffer (at most 1120 bytes of SCTP each).
        var minimum = 2 * sent.Sum(m => m.Length) / 1120;
        Assert.True(net.ReleasedPooledTransmits >= minimum, $"{net.ReleasedPooledTransmits} pooled transmits, expected ≥ {minimum}");
    }
}
