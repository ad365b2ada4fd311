namespace Enslavism.Interop.Tests.Answerer;

/// <summary>
/// The seam between the signaling host of the tests and the WebRTC answerer under test: an offer in, an answer
/// out; data-channel traffic is handled by an <see cref="EchoBehaviour"/> the answerer was created with.
/// </summary>
public interface IInteropAnswerer : IAsyncDisposable
{
    /// <summary>Accepts a complete (non-trickle) offer and returns the answer SDP, candidates included.</summary>
    Task<string> AcceptOfferAsync(string offerSdp, CancellationToken cancellationToken);

    /// <summary>Counters for the failure message.</summary>
    string Describe();
}

/// <summary>Which answerer a test runs against.</summary>
public enum AnswererKind
{
    /// <summary>The product host, <c>Enslavism.WebRtc.Host.WebRtcEndpoint</c>.</summary>
    Endpoint,

    /// <summary>The test's own composition of the sans-IO layers (<see cref="LoopbackAnswerer"/>): isolates host bugs from layer bugs.</summary>
    Layers,
}
