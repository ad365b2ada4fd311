using Enslavism.WebRtc.Core;

namespace Enslavism.WebRtc.Tests.Core;

public class DemuxTests
{
    [Theory]
    [InlineData(0, DatagramKind.Stun)]
    [InlineData(1, DatagramKind.Stun)]
    [InlineData(3, DatagramKind.Stun)]
    [InlineData(4, DatagramKind.Unknown)]
    [InlineData(16, DatagramKind.Unknown)]
    [InlineData(19, DatagramKind.Unknown)]
    [InlineData(20, DatagramKind.Dtls)]
    [InlineData(22, DatagramKind.Dtls)]
    [InlineData(63, DatagramKind.Dtls)]
    [InlineData(64, DatagramKind.Unknown)]
    [InlineData(79, DatagramKind.Unknown)]
    [InlineData(127, DatagramKind.Unknown)]
    [InlineData(128, DatagramKind.Rtp)]
    [InlineData(191, DatagramKind.Rtp)]
    [InlineData(192, DatagramKind.Unknown)]
    [InlineData(255, DatagramKind.Unknown)]
    public void Classify_FirstByte_FollowsRfc7983Ranges(int firstByte, DatagramKind expected)
    {
        Assert.Equal(expected, Demux.Classify([(byte)firstByte, 0, 0, 0]));
    }

    [Fact]
    public void Classify_Empty_IsUnknown()
    {
        Assert.Equal(DatagramKind.Unknown, Demux.Classify([]));
    }
}
