using Enslavism.Grains.Runtime;

namespace Enslavism.Grains;

/// <summary>
/// Sequential u32 ids with wrap-around. Ids that are live or quarantined are skipped; a released id is quarantined for
/// <see cref="InMemoryGrainOptions.IdQuarantine"/> so a frame in flight for its old holder cannot reach a new one.
/// </summary>
public sealed class InMemoryIdAllocator : IIdAllocatorGrain
{
    private readonly GrainMailbox _mailbox = new();
    private readonly HashSet<uint> _live = [];
    private readonly Dictionary<uint, DateTimeOffset> _quarantinedUntil = [];
    private readonly Queue<(uint Id, DateTimeOffset Until)> _quarantineOrder = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _quarantine;
    private readonly uint _firstId;
    private readonly uint _maxId;
    private uint _next;

    public InMemoryIdAllocator(InMemoryGrainOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _quarantine = options.IdQuarantine;
        _firstId = options.FirstId;
        _maxId = options.MaxId;
        _next = options.StartId ?? _firstId;
    }

    /// <summary>Number of ids of the space (up to 2^32).</summary>
    private ulong SpaceSize => (ulong)_maxId - _firstId + 1;

    public ValueTask<uint> AllocateAsync() => _mailbox.Run(Allocate);

    public ValueTask ReleaseAsync(uint id) => new(_mailbox.Run(() => Release(id)).AsTask());

    private uint Allocate()
    {
        ExpireQuarantine();
        if ((ulong)_live.Count + (ulong)_quarantinedUntil.Count >= SpaceSize)
        {
            throw new IdSpaceExhaustedException(
                $"All {SpaceSize} ids are in use ({_live.Count} live, {_quarantinedUntil.Count} quarantined).");
        }

        // Terminates: at least one id of the space is neither live nor quarantined.
        while (true)
        {
            var candidate = _next;
            _next = candidate == _maxId ? _firstId : candidate + 1;
            if (!_live.Contains(candidate) && !_quarantinedUntil.ContainsKey(candidate))
            {
                _live.Add(candidate);
                return candidate;
            }
        }
    }

    private bool Release(uint id)
    {
        if (!_live.Remove(id))
        {
            return false;
        }

        if (_quarantine > TimeSpan.Zero)
        {
            var until = _time.GetUtcNow() + _quarantine;
            _quarantinedUntil[id] = until;
            _quarantineOrder.Enqueue((id, until));
        }

        return true;
    }

    private void ExpireQuarantine()
    {
        var now = _time.GetUtcNow();

        // Releases happen in time order with a constant quarantine, so expiry order is release order.
        while (_quarantineOrder.TryPeek(out var head) && head.Until <= now)
        {
            _quarantineOrder.Dequeue();
            _quarantinedUntil.Remove(head.Id);
        }
    }
}
