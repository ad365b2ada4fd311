namespace Enslavism.WebRtc.Ice;

/// <summary>Counters of what an <see cref="IceLiteAgent"/> did with its input (for logs and tests).</summary>
public sealed class IceLiteAgentStats
{
    public long Received { get; internal set; }

    public long Malformed { get; internal set; }

    /// <summary>Indications, responses and non-Binding methods: a lite agent sends no requests, so none is expected.</summary>
    public long Ignored { get; internal set; }

    public long BadFingerprint { get; internal set; }

    public long BadRequest { get; internal set; }

    public long Unauthenticated { get; internal set; }

    public long UnknownAttributes { get; internal set; }

    public long RoleConflicts { get; internal set; }

    public long ValidChecks { get; internal set; }

    public long ErrorResponsesSuppressed { get; internal set; }

    public long TransmitsDropped { get; internal set; }

    public long EventsDropped { get; internal set; }

    public long DroppedAfterClose { get; internal set; }
}
