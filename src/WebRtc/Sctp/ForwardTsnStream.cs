namespace Enslavism.WebRtc.Sctp;

/// <summary>One (stream, SSN) pair of a FORWARD-TSN chunk: the largest skipped SSN of an ordered stream, RFC 3758 §3.2.</summary>
public readonly record struct ForwardTsnStream(ushort StreamId, ushort Ssn);
