namespace Enslavism.WebRtc.Dtls;

/// <summary>
/// Sliding anti-replay window over 48-bit record sequence numbers of one epoch, RFC 6347 §4.1.2.6 (64 entries, the
/// RFC's and BouncyCastle's size). The record layer checks with <see cref="IsDuplicate"/> before decrypting and
/// calls <see cref="Mark"/> only once a record authenticated, so forged records cannot move the window.
/// </summary>
internal sealed class DtlsReplayWindow
{
    public const int Size = 64;

    private ulong _highest;
    private ulong _seen;
    private bool _any;

    /// <summary>True if <paramref name="sequence"/> was already seen or is older than the window; records nothing.</summary>
    public bool IsDuplicate(ulong sequence)
    {
        if (!_any || sequence > _highest)
        {
            return false;
        }

        var age = _highest - sequence;
        return age >= Size || (_seen & (1UL << (int)age)) != 0;
    }

    /// <summary>Records <paramref name="sequence"/> as received (no-op if it is older than the window).</summary>
    public void Mark(ulong sequence) => TryAccept(sequence);

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
