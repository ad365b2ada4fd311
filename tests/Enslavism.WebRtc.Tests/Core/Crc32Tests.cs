using System.Text;
using Enslavism.WebRtc.Core;

namespace Enslavism.WebRtc.Tests.Core;

public class Crc32Tests
{
    [Fact]
    public void Compute_CheckString_MatchesStandardCheckValue()
    {
        // The catalogue check value of CRC-32/ISO-HDLC.
        Assert.Equal(0xCBF43926u, Crc32.Compute(Encoding.ASCII.GetBytes("123456789")));
    }

    [Fact]
    public void Compute_Empty_IsZero()
    {
        Assert.Equal(0u, Crc32.Compute([]));
    }

    [Fact]
    public void Continue_SplitInput_EqualsOneShot()
    {
        var data = new byte[300];
        new SeededRandomSource(7).Fill(data);
        for (var split = 0; split <= data.Length; split += 37)
        {
            var register = Crc32.Continue(Crc32.Continue(Crc32.Initial, data.AsSpan(0, split)), data.AsSpan(split));
            Assert.Equal(Crc32.Compute(data), register ^ Crc32.FinalXor);
        }
    }
}
