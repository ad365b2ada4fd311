using Enslavism.WebRtc.Dtls;

namespace Enslavism.WebRtc.Tests.Dtls;

public sealed class DtlsReplayWindowTests
{
    [Fact]
    public void TryAccept_DuplicatesAndTooOld_Rejected()
    {
        var window = new DtlsReplayWindow();
        Assert.True(window.TryAccept(100));
        Assert.False(window.TryAccept(100));
        Assert.True(window.TryAccept(99));
        Assert.True(window.TryAccept(37)); // age 63: last slot inside the window
        Assert.False(window.TryAccept(36)); // age 64: outside
        Assert.True(window.TryAccept(200)); // jump beyond the window clears history
        Assert.False(window.TryAccept(100));
        Assert.True(window.TryAccept(199));
        Assert.False(window.TryAccept(199));
    }

    [Fact]
    public void TryAccept_RandomOrder_MatchesReferenceModel()
    {
        var random = new Random(31);
        var window = new DtlsReplayWindow();
        var seen = new HashSet<ulong>();
        ulong highest = 0;
        var any = false;
        for (var i = 0; i < 20_000; i++)
        {
            var sequence = (ulong)Math.Max(0, (long)highest + random.Next(-80, 20));
            var expected = !seen.Contains(sequence) && (!any || sequence > highest || highest - sequence < DtlsReplayWindow.Size);
            Assert.Equal(expected, window.TryAccept(sequence));
            if (expected)
            {
                seen.Add(sequence);
                highest = any ? Math.Max(highest, sequence) : sequence;
                any = true;
            }
        }
    }
}
