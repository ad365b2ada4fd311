using System.Collections.Concurrent;

namespace Enslavism.WebRtc.Host;

/// <summary>
/// Fixed-size receive buffers that can travel from a reading thread to the event loop and back (since the loop reads
/// the socket itself, <see cref="WebRtcEndpoint"/> rents just the one buffer it reads into). A dedicated pool rather
/// than <c>ArrayPool.Shared</c>: buffers are rented on one thread and returned on another, thousands may be queued at
/// once in a burst, and the shared pool's small per-thread/per-core caches then miss and allocate anyway. Buffers
/// beyond <see cref="MaxPooled"/> are left to the GC, so a burst cannot pin memory for good.
/// </summary>
internal sealed class DatagramBufferPool(int bufferSize, int maxPooled)
{
    private readonly ConcurrentQueue<byte[]> _free = new();
    private int _count;
    private long _allocated;

    public int BufferSize { get; } = bufferSize;

    public int MaxPooled { get; } = maxPooled;

    /// <summary>Buffers currently held by the pool.</summary>
    public int Pooled => Volatile.Read(ref _count);

    /// <summary>Buffers created because the pool was empty (for tests and diagnostics).</summary>
    public long Allocated => Interlocked.Read(ref _allocated);

    public byte[] Rent()
    {
        if (_free.TryDequeue(out var buffer))
        {
            Interlocked.Decrement(ref _count);
            return buffer;
        }

        Interlocked.Increment(ref _allocated);
        return new byte[BufferSize];
    }

    /// <summary>Takes back a buffer from <see cref="Rent"/>; the caller must not touch it afterwards.</summary>
    public void Return(byte[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (buffer.Length != BufferSize)
        {
            throw new ArgumentException("not a buffer of this pool", nameof(buffer));
        }

        if (Interlocked.Increment(ref _count) > MaxPooled)
        {
            Interlocked.Decrement(ref _count);
            return;
        }

        _free.Enqueue(buffer);
    }
}
