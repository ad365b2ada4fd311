using Enslavism.WebRtc.Core;
using Enslavism.WebRtc.Ice;

namespace Enslavism.WebRtc.Tests.Ice;

public class IceCredentialsTests
{
    [Fact]
    public void Generate_Seeded_DeterministicLengthsAndIceChars()
    {
        var a = IceCredentials.Generate(new SeededRandomSource(11));
        var b = IceCredentials.Generate(new SeededRandomSource(11));
        Assert.Equal(a, b);
        Assert.Equal(8, a.Ufrag.Length);
        Assert.Equal(24, a.Password.Length);
        Assert.All(a.Ufrag + a.Password, c => Assert.True(IceCredentials.IsIceChar(c)));
        Assert.NotEqual(a, IceCredentials.Generate(new SeededRandomSource(12)));
    }

    [Fact]
    public void Generate_ManySeeds_UsesWholeAlphabet()
    {
        var seen = new HashSet<char>();
        var random = new SeededRandomSource(1);
        for (var i = 0; i < 200; i++)
        {
            seen.UnionWith(IceCredentials.Generate(random, 4, 32).Password);
        }

        Assert.Equal(64, seen.Count);
    }

    [Theory]
    [InlineData(3, 24)]
    [InlineData(4, 21)]
    [InlineData(257, 24)]
    public void Generate_OutOfRangeLengths_Throw(int ufrag, int pwd)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => IceCredentials.Generate(new SeededRandomSource(1), ufrag, pwd));
    }

    [Theory]
    [InlineData("abc", "0123456789012345678901")]
    [InlineData("abcd", "012345678901234567890")]
    [InlineData("ab:d", "0123456789012345678901")]
    [InlineData("abcd", "01234567890123456789=1")]
    public void Constructor_InvalidCredentials_Throw(string ufrag, string pwd)
    {
        Assert.Throws<ArgumentException>(() => new IceCredentials(ufrag, pwd));
    }

    [Fact]
    public void HostPriority_SingleCandidate_Is2130706431()
    {
        Assert.Equal(2130706431u, IceCandidatePriority.Host());
        Assert.Equal(2130706175u, IceCandidatePriority.Host(65534));
        Assert.Equal((100u << 24) + (10u << 8) + 254u, IceCandidatePriority.Compute(100, 10, 2));
    }
}
