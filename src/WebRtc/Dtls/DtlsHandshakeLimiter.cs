namespace Enslavism.WebRtc.Dtls;

/// <summary>
/// Bounds the number of concurrent half-open DTLS handshakes of a host. Each BouncyCastle handshake occupies a
/// worker thread until it completes or times out, so without a bound a flood of ClientHellos ties up the pool
/// (webrtc-stack.md §10). The host acquires a lease before calling <see cref="IDtlsEngine.RunHandshake"/> and
/// disposes it afterwards; when none is free it drops the ClientHello (the peer retransmits it). Thread-safe.
/// </summary>
public sealed class DtlsHandshakeLimiter
{
    private int _inFlight;
    private long _rejected;

    public DtlsHandshakeLimiter(int maxConcurrentHandshakes = 32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentHandshakes, 1);
        MaxConcurrentHandshakes = maxConcurrentHandshakes;
    }

    public int MaxConcurrentHandshakes { get; }

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>How many acquisitions were refused since creation.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    public bool TryAcquire([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Lease? lease)
    {
        while (true)
        {
            var current = Volatile.Read(ref _inFlight);
            if (current >= MaxConcurrentHandshakes)
            {
                Interlocked.Increment(ref _rejected);
                lease = null;
                return false;
            }

            if (Interlocked.CompareExchange(ref _inFlight, current + 1, current) == current)
            {
                lease = new Lease(this);
                return true;
            }
        }
    }

    /// <summary>One admitted handshake; disposing it (once or more) frees the slot exactly once.</summary>
    public sealed class Lease : IDisposable
    {
        private DtlsHandshakeLimiter? _owner;

        internal Lease(DtlsHandshakeLimiter owner) => _owner = owner;

        public void Dispose()
        {
            var owner = Interlocked.Exchange(ref _owner, null);
            if (owner is not null)
            {
                Interlocked.Decrement(ref owner._inFlight);
            }
        }
    }
}
