using Org.BouncyCastle.Crypto.Tls;

namespace Enslavism.WebRtc.Dtls;

/// <summary>Gives the engine the negotiated parameters of our BC client or server peer.</summary>
internal interface IWebRtcDtlsPeer
{
    TlsContext Context { get; }
}
