namespace Enslavism.WebRtc.Ice;

/// <summary>Counters of an <see cref="IceControllingAgent"/> (for logs and tests).</summary>
public sealed class IceControllingAgentStats
{
    public long Received { get; internal set; }

    public long Malformed { get; internal set; }

    public long Ignored { get; internal set; }

    public long UnknownTransaction { get; internal set; }

    public long Unauthenticated { get; internal set; }

    public long ErrorResponses { get; internal set; }

    public long SuccessResponses { get; internal set; }

    public long ChecksSent { get; internal set; }

    public long TransmitsDropped { get; internal set; }
}
