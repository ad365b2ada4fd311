using Enslavism.WebRtc.Sctp;

namespace Enslavism.WebRtc.Tests.Sctp;

/// <summary>Impairments of one direction of the virtual link. All randomness comes from the network's seed.</summary>
internal sealed class LinkProfile
{
    public double Loss { get; set; }

    public double Duplicate { get; set; }

    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Extra random delay in [0, Jitter): packets overtake each other, i.e. reordering.</summary>
    public TimeSpan Jitter { get; set; }

    /// <summary>Protocol-aware drop: return true to drop this packet (decoded when it parses).</summary>
    public Func<SctpPacket?, bool>? DropFilter { get; set; }

    /// <summary>Bottleneck rate in bytes per second (0 = infinite): packets queue behind each other before the delay.</summary>
    public long BytesPerSecond { get; set; }

    /// <summary>Drop-tail capacity of the bottleneck queue in bytes, like a receiver's UDP socket buffer (0 = unbounded).</summary>
    public long QueueLimitBytes { get; set; }

    /// <summary>Packets dropped because the bottleneck queue was full.</summary>
    public long QueueDrops { get; set; }

    /// <summary>Largest bottleneck queue seen, in bytes (including the arriving packet).</summary>
    public long MaxQueuedBytes { get; set; }

    internal TimeSpan BusyUntil { get; set; }
}

/// <summary>What the virtual network needs from a sans-IO endpoint (an association or a data-channel manager).</summary>
internal interface IVirtualEndpoint
{
    void HandleInput(TimeSpan now, ReadOnlySpan<byte> packet);

    void HandleTimeout(TimeSpan now);

    TimeSpan? PollTimeout();

    bool TryPollTransmit(out ReadOnlyMemory<byte> packet);

    void DrainEvents();
}

internal sealed class AssociationEndpoint(SctpAssociation association, List<SctpEvent> events) : IVirtualEndpoint
{
    public void HandleInput(TimeSpan now, ReadOnlySpan<byte> packet) => association.HandleInput(now, packet);

    public void HandleTimeout(TimeSpan now) => association.HandleTimeout(now);

    public TimeSpan? PollTimeout() => association.PollTimeout();

    public bool TryPollTransmit(out ReadOnlyMemory<byte> packet) => association.TryPollTransmit(out packet);

    public void DrainEvents()
    {
        while (association.TryPollEvent(out var ev))
        {
            events.Add(ev!);
        }
    }
}

/// <summary>
/// Two associations joined by a deterministic, seeded, lossy virtual network with virtual time. <see cref="Step"/>
/// always jumps to the earliest of both PollTimeouts and the next packet arrival: no sleeps, no sockets.
/// </summary>
internal sealed class SctpPair
{
    private readonly PriorityQueue<(bool ToB, byte[] Packet), (TimeSpan At, long Seq)> _wire = new();
    private readonly Random _random;
    private long _seq;

    public SctpPair(int seed, SctpOptions? optionsA = null, SctpOptions? optionsB = null)
    {
        _random = new Random(seed);
        A = new SctpAssociation(optionsA ?? new SctpOptions(), new SeededSctpRandomSource(seed * 2 + 1));
        B = new SctpAssociation(optionsB ?? new SctpOptions(), new SeededSctpRandomSource(seed * 2 + 2));
        EndpointA = new AssociationEndpoint(A, EventsA);
        EndpointB = new AssociationEndpoint(B, EventsB);
    }

    /// <summary>Endpoints actually driven; tests may swap in wrappers (e.g. data-channel managers) around A and B.</summary>
    public IVirtualEndpoint EndpointA { get; set; }

    public IVirtualEndpoint EndpointB { get; set; }

    public SctpAssociation A { get; }

    public SctpAssociation B { get; }

    public TimeSpan Now { get; private set; } = TimeSpan.FromSeconds(1000);

    public LinkProfile AToB { get; } = new();

    public LinkProfile BToA { get; } = new();

    public List<SctpEvent> EventsA { get; } = [];

    public List<SctpEvent> EventsB { get; } = [];

    /// <summary>Every packet put on the wire (before loss), in order: (fromA, bytes).</summary>
    public Action<bool, byte[]>? OnTransmit { get; set; }

    /// <summary>Every packet delivered (after loss): (toB, bytes).</summary>
    public Action<bool, byte[]>? OnDeliver { get; set; }

    public int Iterations { get; private set; }

    public void Connect()
    {
        A.Connect(Now);
        EndpointA.DrainEvents();
        Pump();
    }

    public void Pump()
    {
        Drain(EndpointA, true);
        Drain(EndpointB, false);
    }

    private void Drain(IVirtualEndpoint from, bool fromA)
    {
        while (from.TryPollTransmit(out var packet))
        {
            var bytes = packet.ToArray();
            OnTransmit?.Invoke(fromA, bytes);
            var profile = fromA ? AToB : BToA;
            var parsed = SctpPacket.TryParse(bytes, out var p, out _) ? p : null;
            if (profile.DropFilter?.Invoke(parsed) == true || _random.NextDouble() < profile.Loss)
            {
                continue;
            }

            if (!Enqueue(profile, bytes.Length))
            {
                continue;
            }

            Schedule(fromA, bytes, profile);
            if (_random.NextDouble() < profile.Duplicate)
            {
                Schedule(fromA, bytes, profile);
            }
        }

        from.DrainEvents();
    }

    /// <summary>Bottleneck serialisation: false when the drop-tail queue is full.</summary>
    private bool Enqueue(LinkProfile profile, int length)
    {
        if (profile.BytesPerSecond <= 0)
        {
            return true;
        }

        var start = profile.BusyUntil > Now ? profile.BusyUntil : Now;
        var queued = (long)((start - Now).TotalSeconds * profile.BytesPerSecond) + length;
        if (profile.QueueLimitBytes > 0 && queued > profile.QueueLimitBytes)
        {
            profile.QueueDrops++;
            return false;
        }

        profile.MaxQueuedBytes = Math.Max(profile.MaxQueuedBytes, queued);
        profile.BusyUntil = start + TimeSpan.FromSeconds((double)length / profile.BytesPerSecond);
        return true;
    }

    private void Schedule(bool fromA, byte[] bytes, LinkProfile profile)
    {
        var start = profile.BytesPerSecond > 0 ? profile.BusyUntil : Now;
        var at = start + profile.Delay + (profile.Jitter * _random.NextDouble());
        _wire.Enqueue((fromA, bytes), (at, _seq++));
    }

    /// <summary>Advances to the next event; false when nothing is pending anywhere.</summary>
    public bool Step() => Step(null);

    /// <summary>Advances to the next event, or only to <paramref name="limit"/> if that comes first.</summary>
    private bool Step(TimeSpan? limit)
    {
        Iterations++;
        Pump();
        TimeSpan? next = null;
        foreach (var candidate in new[] { EndpointA.PollTimeout(), EndpointB.PollTimeout(), _wire.TryPeek(out _, out var p) ? p.At : (TimeSpan?)null })
        {
            if (candidate is { } c && (next is null || c < next))
            {
                next = c;
            }
        }

        if (limit is { } l && (next is null || next > l))
        {
            Now = l > Now ? l : Now;
            return true;
        }

        if (next is null)
        {
            return false;
        }

        if (next > Now)
        {
            Now = next.Value;
        }

        while (_wire.TryPeek(out var item, out var prio) && prio.At <= Now)
        {
            _wire.Dequeue();
            OnDeliver?.Invoke(item.ToB, item.Packet);
            (item.ToB ? EndpointB : EndpointA).HandleInput(Now, item.Packet);
            Pump();
        }

        if (EndpointA.PollTimeout() <= Now)
        {
            EndpointA.HandleTimeout(Now);
        }

        if (EndpointB.PollTimeout() <= Now)
        {
            EndpointB.HandleTimeout(Now);
        }

        Pump();
        return true;
    }

    /// <summary>Runs until the condition holds; fails the test if virtual time or iterations run out.</summary>
    public void RunUntil(Func<bool> condition, TimeSpan maxVirtualTime, int maxIterations = 200_000)
    {
        var deadline = Now + maxVirtualTime;
        while (!condition())
        {
            Assert.True(Now <= deadline, $"condition not reached within {maxVirtualTime} of virtual time");
            Assert.True(Iterations < maxIterations, "iteration budget exhausted");
            if (!Step())
            {
                Assert.Fail("network idle before the condition was reached");
            }
        }
    }

    /// <summary>Runs for a span of virtual time (or until idle).</summary>
    public void RunFor(TimeSpan span)
    {
        var end = Now + span;
        while (Now < end && Step())
        {
            Assert.True(Iterations < 500_000, "iteration budget exhausted");
        }
    }

    /// <summary>Runs to exactly <c>Now + span</c> of virtual time, never jumping past it (unlike <see cref="RunFor"/>).</summary>
    public void Advance(TimeSpan span)
    {
        var end = Now + span;
        while (Now < end)
        {
            Step(end);
            Assert.True(Iterations < 500_000, "iteration budget exhausted");
        }
    }

    public void Establish()
    {
        Connect();
        RunUntil(() => A.IsEstablished && B.IsEstablished, TimeSpan.FromSeconds(30));
    }

    public static IEnumerable<SctpMessageReceived> Messages(List<SctpEvent> events) => events.OfType<SctpMessageReceived>();
}
