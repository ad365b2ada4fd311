using Enslavism.WebRtc.DataChannels;

namespace Enslavism.WebRtc.Tests.DataChannels;

public sealed class DcepTests
{
    [Fact]
    public void Open_ChromeUnorderedMaxRetransmitsZero_GoldenBytes()
    {
        // RFC 8832 §5.1 layout; values as Chrome sends for {ordered:false, maxRetransmits:0}, label "game".
        const string hex = "038101000000000000040000" + "67616D65";
        var open = new DcepOpenMessage(DataChannelType.PartialReliableRexmitUnordered, 256, 0, "game", "");
        Assert.Equal(hex, Convert.ToHexString(open.Encode()));
        Assert.True(DcepOpenMessage.TryParse(Convert.FromHexString(hex), out var parsed, out _));
        Assert.Equal(open, parsed);
        Assert.False(parsed!.Ordered);
        Assert.Equal(Reliability.MaxRetransmits(0), parsed.Reliability);
    }

    [Theory]
    [InlineData(0x00, true, "Reliable")]
    [InlineData(0x80, false, "Reliable")]
    [InlineData(0x01, true, "Rexmit")]
    [InlineData(0x81, false, "Rexmit")]
    [InlineData(0x02, true, "Timed")]
    [InlineData(0x82, false, "Timed")]
    public void Open_EveryChannelType_RoundTripsWithLabelAndProtocol(byte type, bool ordered, string kind)
    {
        var open = new DcepOpenMessage((DataChannelType)type, 512, 1500, "chät", "json");
        var bytes = open.Encode();
        Assert.Equal(type, bytes[1]);
        Assert.Equal("0200", Convert.ToHexString(bytes, 2, 2));
        Assert.Equal("000005DC", Convert.ToHexString(bytes, 4, 4));
        Assert.Equal("0005", Convert.ToHexString(bytes, 8, 2));
        Assert.Equal("0004", Convert.ToHexString(bytes, 10, 2));
        Assert.True(DcepOpenMessage.TryParse(bytes, out var parsed, out _));
        Assert.Equal(open, parsed);
        Assert.Equal(ordered, parsed!.Ordered);
        var expected = kind switch
        {
            "Rexmit" => Reliability.MaxRetransmits(1500),
            "Timed" => Reliability.MaxPacketLifetime(1500),
            _ => Reliability.Reliable,
        };
        Assert.Equal(expected, parsed.Reliability);
        Assert.Equal((DataChannelType)type, expected.ToDcepType(ordered));
    }

    [Fact]
    public void Ack_GoldenByte()
    {
        Assert.Equal([0x02], DcepAckMessage.Encode());
        Assert.True(DcepAckMessage.IsAck([0x02]));
        Assert.False(DcepAckMessage.IsAck([0x03]));
        Assert.False(DcepAckMessage.IsAck([]));
    }

    [Theory]
    [InlineData("0381", DcepParseErrorKind.TooShort)]
    [InlineData("048101000000000000040000", DcepParseErrorKind.UnknownMessageType)]
    [InlineData("030501000000000000000000", DcepParseErrorKind.UnknownChannelType)]
    [InlineData("03810100000000000004000067616D", DcepParseErrorKind.BadLength)]
    [InlineData("03810100000000000001000080", DcepParseErrorKind.InvalidUtf8)]
    public void Open_Malformed_TypedError(string hex, DcepParseErrorKind kind)
    {
        Assert.False(DcepOpenMessage.TryParse(Convert.FromHexString(hex), out var message, out var error));
        Assert.Null(message);
        Assert.Equal(kind, error.Kind);
    }

    [Fact]
    public void Open_RandomAndMutatedInput_NeverThrows()
    {
        var random = new Random(77);
        var valid = new DcepOpenMessage(DataChannelType.Reliable, 256, 0, "label", "proto").Encode();
        for (var i = 0; i < 20_000; i++)
        {
            byte[] bytes;
            if (i % 2 == 0)
            {
                bytes = new byte[random.Next(0, 40)];
                random.NextBytes(bytes);
            }
            else
            {
                bytes = (byte[])valid.Clone();
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            var ok = DcepOpenMessage.TryParse(bytes, out var message, out _);
            Assert.Equal(ok, message != null);
        }
    }
}
