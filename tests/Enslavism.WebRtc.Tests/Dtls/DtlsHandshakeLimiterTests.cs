using Enslavism.WebRtc.Dtls;

namespace Enslavism.WebRtc.Tests.Dtls;

public sealed class DtlsHandshakeLimiterTests
{
    [Fact]
    public void TryAcquire_BeyondLimit_RefusesUntilALeaseIsDisposed()
    {
        var limiter = new DtlsHandshakeLimiter(2);
        Assert.True(limiter.TryAcquire(out var first));
        Assert.True(limiter.TryAcquire(out var second));
        Assert.False(limiter.TryAcquire(out var third));
        Assert.Null(third);
        Assert.Equal(2, limiter.InFlight);
        Assert.Equal(1, limiter.Rejected);

        first.Dispose();
        first.Dispose(); // idempotent: must not free a second slot
        Assert.Equal(1, limiter.InFlight);
        Assert.True(limiter.TryAcquire(out var fourth));
        Assert.False(limiter.TryAcquire(out _));
        second.Dispose();
        fourth.Dispose();
        Assert.Equal(0, limiter.InFlight);
    }

    [Fact]
    public void TryAcquire_ConcurrentCallers_NeverExceedLimit()
    {
        var limiter = new DtlsHandshakeLimiter(3);
        var peak = 0;
        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            if (limiter.TryAcquire(out var lease))
            {
                var now = limiter.InFlight;
                InterlockedMax(ref peak, now);
                lease.Dispose();
            }
        });

        Assert.InRange(peak, 1, 3);
        Assert.Equal(0, limiter.InFlight);
    }

    [Fact]
    public void Constructor_ZeroLimit_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new DtlsHandshakeLimiter(0));

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
