using System.Net;
using Enslavism.WebRtc.Core;

namespace Enslavism.WebRtc.Tests.Core;

public sealed class TransmitBufferPoolTests
{
    private static readonly IPEndPoint Peer = new(IPAddress.Loopback, 9);

    [Fact]
    public void Release_PooledTransmit_NextRentReusesTheBuffer()
    {
        var pool = new TransmitBufferPool(64, 4);
        var buffer = pool.Rent();
        new Transmit(Peer, buffer.AsMemory(0, 10)) { Pool = pool }.Release();
        Assert.Same(buffer, pool.Rent());
        Assert.Equal(1, pool.Allocated);
    }

    [Fact]
    public void Release_TransmitWithoutPool_KeepsNothing()
    {
        var pool = new TransmitBufferPool(64, 4);
        new Transmit(Peer, new byte[64]).Release();
        Assert.Equal(0, pool.Pooled);
    }

    [Fact]
    public void Return_BeyondMaxPooled_LeavesTheRestToTheGc()
    {
        var pool = new TransmitBufferPool(64, 2);
        var buffers = Enumerable.Range(0, 5).Select(_ => pool.Rent()).ToList();
        buffers.ForEach(pool.Return);
        Assert.Equal(2, pool.Pooled);
    }

    [Fact]
    public void Return_ForeignBuffer_Throws()
    {
        var pool = new TransmitBufferPool(64, 2);
        Assert.Throws<ArgumentException>(() => pool.Return(new byte[63]));
    }
}
