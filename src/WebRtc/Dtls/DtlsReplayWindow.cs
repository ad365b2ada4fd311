namespace Enslavism.WebRtc.Dtls;

/// <summary>
/// Sliding anti-replay window over 48-bit record sequence numbers of one epoch, RFC 6347 §4.1.2.6 (64 entries, the
/// RFC's and BouncyCastle's size). The engine uses it to reject replays before they reach BouncyCastle, whose record
/// layer would otherwise burn its 1 ms receive wait on each of them.
/// </summary>
internal sealed class DtlsReplayWindow
{
    public const int Size = 64;

    private ulong _highest;
    private ulong _seen;
    private bool _any;

    /// <summary>True (and recorded) if <paramref name="sequence"/> is new and not older than the window.</summary>
    public bool TryAccept(ulong sequence)
    {
        if (!_any)
        {
            _any = true;
            _highest = sequence;
            _seen = 1;
            return true;
        }

        if (sequence > _highest)
        {
            var shift = sequence - _highest;
            _seen = shift >= Size ? 1 : (_seen << (int)shift) | 1;
            _highest = sequence;
            return true;
        }

        var age = _highest - sequence;
        if (age >= Size)
        {
            return false;
        }

        var bit = 1UL << (int)age;
        if ((_seen & bit) != 0)
        {
            return false;
        }

        _seen |= bit;
        return true;
    }
}
