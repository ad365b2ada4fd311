namespace Enslavism.WebRtc.Sctp;

/// <summary>Where a stream is in its two-way reset (RFC 6525 §5.2, as used to close data channels, RFC 8831 §6.7).</summary>
internal sealed class StreamResetProgress
{
    /// <summary>Our Outgoing SSN Reset Request for it is queued or in flight.</summary>
    public bool OutgoingRequested { get; set; }

    public bool OutgoingDone { get; set; }

    public bool IncomingDone { get; set; }
}
