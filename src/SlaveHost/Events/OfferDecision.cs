namespace Enslavism.SlaveHost;

/// <summary>What the slave does with an incoming offer.</summary>
public enum OfferDecision
{
    /// <summary>Create a peer connection and answer.</summary>
    Accept,

    /// <summary>Send the client a rejection; no peer connection is created.</summary>
    Reject,
}

/// <summary>
/// Decides whether to accept an offer. May be asynchronous (e.g. ask a lobby service); it runs off the receive loop, and
/// <paramref name="cancellationToken"/> fires when the answer timeout passes, the client sends a new offer, or the slave
/// disconnects. Throwing counts as <see cref="OfferDecision.Reject"/>.
/// </summary>
public delegate ValueTask<OfferDecision> OfferAdmissionHandler(IncomingOffer offer, CancellationToken cancellationToken);
