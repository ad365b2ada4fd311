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

    [Fact]
    public void Send_BackToBackFragmentedMessages_NextMessageFillsThePacketAfterTheTail()
    {
        // 16 KiB at 1092 payload bytes per full chunk is 15 chunks and a 4-byte tail: alone in its packet, that is 16
        // datagrams per message; filled with the next message's first fragment, close to 15.
        var options = new SctpOptions { MaxPacketSize = 1120 };
        var pair = new SctpPair(11, options, options);
        var dataPackets = 0;
        var fullPackets = 0;
        pair.OnTransmit = (fromA, bytes) =>
        {
            if (fromA && bytes.Length > 12 && bytes[12] == (byte)SctpChunkType.Data)
            {
                dataPackets++;
                fullPackets += bytes.Length >= 1120 - 16 ? 1 : 0;
            }
        };
        pair.Connect();
        pair.RunUntil(() => pair.A.IsEstablished && pair.B.IsEstablished, TimeSpan.FromSeconds(30));
        var random = new Random(11);
        var messages = new List<byte[]>();
        for (var i = 0; i < 16; i++)
        {
            var message = new byte[16384];
            random.NextBytes(message);
            messages.Add(message);
            Assert.Equal(SctpSendResult.Queued, pair.A.Send(pair.Now, 1, 53, message));
        }

        pair.RunUntil(() => SctpPair.Messages(pair.EventsB).Count() == messages.Count, TimeSpan.FromSeconds(30));
        Assert.Equal(messages, SctpPair.Messages(pair.EventsB).Select(m => m.Payload));
        Assert.InRange(dataPackets, 16 * 15, (16 * 15) + 4);
        Assert.True(fullPackets >= dataPackets - 8, $"{fullPackets} of {dataPackets} packets full");
    }
}
