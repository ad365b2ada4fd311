using Enslavism.WebRtc.Host;

namespace Enslavism.WebRtc.Tests.Host;

public sealed class DatagramBufferPoolTests
{
    [Fact]
    public void RentAfterReturn_ReusesTheSameBuffer()
    {
        var pool = new DatagramBufferPool(2048, 4);
        var first = pool.Rent();
        pool.Return(first);
        var second = pool.Rent();
        Assert.Same(first, second);
        Assert.Equal(1, pool.Allocated);
        Assert.Equal(0, pool.Pooled);
    }

    [Fact]
    public void RentFromEmptyPool_AllocatesBufferOfTheConfiguredSize()
    {
        var pool = new DatagramBufferPool(1500, 4);
        var a = pool.Rent();
        var b = pool.Rent();
        Assert.NotSame(a, b);
        Assert.Equal(1500, a.Length);
        Assert.Equal(2, pool.Allocated);
    }

    [Fact]
    public void ReturnBeyondMaxPooled_DropsTheExtraBuffers()
    {
        var pool = new DatagramBufferPool(64, 2);
        var buffers = Enumerable.Range(0, 5).Select(_ => pool.Rent()).ToList();
        foreach (var buffer in buffers)
        {
            pool.Return(buffer);
        }

        Assert.Equal(2, pool.Pooled);
        Assert.Same(buffers[0], pool.Rent());
        Assert.Same(buffers[1], pool.Rent());
        Assert.NotSame(buffers[2], pool.Rent());
        Assert.Equal(6, pool.Allocated);
    }

    [Fact]
    public void ReturnForeignBuffer_Throws()
    {
        var pool = new DatagramBufferPool(64, 2);
        Assert.Throws<ArgumentException>(() => pool.Return(new byte[63]));
        Assert.Equal(0, pool.Pooled);
    }

    [Fact]
    public async Task ConcurrentRentAndReturn_NeverHandsOutOneBufferTwice()
    {
        // Receive thread rents, loop returns: a buffer out on loan must never be rented again before it comes back.
        var pool = new DatagramBufferPool(16, 8);
        var onLoan = new System.Collections.Concurrent.ConcurrentDictionary<byte[], bool>(ReferenceEqualityComparer.Instance);
        var duplicates = 0;
        var workers = Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                var buffer = pool.Rent();
                if (!onLoan.TryAdd(buffer, true))
                {
                    Interlocked.Increment(ref duplicates);
                }

                onLoan.TryRemove(buffer, out _);
                pool.Return(buffer);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        Assert.Equal(0, duplicates);
        Assert.InRange(pool.Pooled, 1, 8);
    }
}
