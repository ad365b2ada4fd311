namespace Enslavism.WebRtc.Dtls;

/// <summary>Lifecycle of an <see cref="IDtlsEngine"/>; Closed and Failed are terminal.</summary>
public enum DtlsEngineState
{
    New,
    Handshaking,
    Connected,
    Closed,
    Failed,
}
