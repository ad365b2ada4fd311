namespace Enslavism.SlaveHost;

/// <summary>An SDP offer a client sent to this slave through the master.</summary>
/// <param name="ClientId">The master's id for the client on this slave connection; not an identity.</param>
/// <param name="Sdp">The offer SDP as the browser wrote it.</param>
/// <param name="Client">
/// What the master knows of the client (its auth data and address); null when the master speaks protocol version 1
/// (e.g. Enslavism 0.9), which cannot carry it.
/// </param>
public sealed record IncomingOffer(uint ClientId, string Sdp, OfferingClient? Client = null);
