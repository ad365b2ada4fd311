using Enslavism.WebRtc.Session;

namespace Enslavism.WebRtc.Host;

/// <summary>An offer made by <see cref="WebRtcEndpoint.CreateOfferAsync"/>; pass it to <see cref="WebRtcEndpoint.ConnectAsync"/> with the answer.</summary>
public sealed class PendingOffer
{
    internal PendingOffer(WebRtcOffer offer) => Offer = offer;

    public string Sdp => Offer.Sdp;

    internal WebRtcOffer Offer { get; }
}
