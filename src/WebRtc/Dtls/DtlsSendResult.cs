namespace Enslavism.WebRtc.Dtls;

/// <summary>Outcome of <see cref="IDtlsEngine.Send"/>.</summary>
public enum DtlsSendResult
{
    Sent = 0,

    /// <summary>The handshake has not completed yet (or the engine is closed/failed).</summary>
    NotConnected,

    /// <summary>Larger than <see cref="IDtlsEngine.MaxApplicationDataSize"/>; DTLS does not fragment records.</summary>
    TooLarge,

    /// <summary>Encryption failed; the engine is now Failed and a <see cref="DtlsFailed"/> event is queued.</summary>
    Failed,
}
