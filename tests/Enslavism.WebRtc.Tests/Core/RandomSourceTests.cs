using Enslavism.WebRtc.Core;

namespace Enslavism.WebRtc.Tests.Core;

public class RandomSourceTests
{
    [Fact]
    public void SeededRandomSource_SameSeed_SameBytes()
    {
        var a = new byte[64];
        var b = new byte[64];
        new SeededRandomSource(42).Fill(a);
        new SeededRandomSource(42).Fill(b);
        Assert.Equal(a, b);
    }

    [Fact]
    public void SeededRandomSource_DifferentSeeds_DifferentBytes()
    {
        var a = new byte[64];
        var b = new byte[64];
        new SeededRandomSource(1).Fill(a);
        new SeededRandomSource(2).Fill(b);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void CryptoRandomSource_Fill_ProducesDistinctBuffers()
    {
        var a = new byte[32];
        var b = new byte[32];
        CryptoRandomSource.Instance.Fill(a);
        CryptoRandomSource.Instance.Fill(b);
        Assert.NotEqual(a, b);
    }
}
