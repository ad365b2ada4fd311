using Enslavism.WebRtc.Sctp;

namespace Enslavism.WebRtc.Tests.Sctp;

public sealed class SctpPacketSizeTests
{
    [Theory]
    [InlineData(1163)]
    [InlineData(1161)]
    [InlineData(1200)]
    public void Send_MaxPacketSizeNotMultipleOfFour_EveryPacketFits(int maxPacketSize)
    {
        // 1163 is BC DTLS's send limit for AES-GCM at MTU 1200: a packet above it cannot be encrypted at all.
        var options = new SctpOptions { MaxPacketSize = maxPacketSize };
        var pair = new SctpPair(7, options, options);
        var largest = 0;
        pair.OnTransmit = (_, packet) => largest = Math.Max(largest, packet.Length);
        pair.Connect();
        pair.RunUntil(() => pair.A.IsEstablished && pair.B.IsEstablished, TimeSpan.FromSeconds(30));
        var message = new byte[20_000];
        new Random(7).NextBytes(message);
        Assert.Equal(SctpSendResult.Queued, pair.A.Send(pair.Now, 1, 53, message));
        pair.RunUntil(() => SctpPair.Messages(pair.EventsB).Any(), TimeSpan.FromSeconds(30));
        Assert.Equal(message, SctpPair.Messages(pair.EventsB).Single().Payload);
        Assert.InRange(largest, maxPacketSize - 3, maxPacketSize);
    }
}
