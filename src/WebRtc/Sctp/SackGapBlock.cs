namespace Enslavism.WebRtc.Sctp;

/// <summary>One Gap Ack Block of a SACK: TSN offsets (inclusive) from the cumulative TSN ack, RFC 9260 §3.3.4.</summary>
public readonly record struct SackGapBlock(ushort Start, ushort End);
