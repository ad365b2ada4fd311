namespace Enslavism.WebRtc.Core;

/// <summary>
/// Fixed-size datagram buffers a session seals DTLS records into and lends to the host inside a <see cref="Transmit"/>;
/// the host hands each back with <see cref="Transmit.Release"/> once the socket call returned. Ownership is linear: the
/// session writes a buffer, enqueues it once and never touches it again; the host reads it, releases it exactly once
/// and never touches it again; only then can <see cref="Rent"/> hand it out anew. A transmit that is never released
/// costs nothing but the pooling (the GC takes it). Thread-safe, because a host may release on another thread than the
/// session's owner; bounded by <see cref="MaxPooled"/> so a burst cannot pin memory for good.
/// </summary>
public sealed class TransmitBufferPool
{
    private readonly Stack<byte[]> _free = new();

    public TransmitBufferPool(int bufferSize, int maxPooled)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxPooled);
        BufferSize = bufferSize;
        MaxPooled = maxPooled;
    }

    public int BufferSize { get; }

    public int MaxPooled { get; }

    /// <summary>Buffers created because the pool was empty (for tests and diagnostics).</summary>
    public long Allocated { get; private set; }

    /// <summary>Buffers currently held by the pool.</summary>
    public int Pooled
    {
        get
        {
            lock (_free)
            {
                return _free.Count;
            }
        }
    }

    public byte[] Rent()
    {
        lock (_free)
        {
            if (_free.TryPop(out var buffer))
            {
                return buffer;
            }

            Allocated++;
        }

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

        lock (_free)
        {
            if (_free.Count < MaxPooled)
            {
                _free.Push(buffer);
            }
        }
    }
}
