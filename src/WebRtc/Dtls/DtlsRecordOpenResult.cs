namespace Enslavism.WebRtc.Dtls;

/// <summary>Outcome of opening one received record in <see cref="DtlsRecordLayer"/> (RFC 6347 §4.1.2.1, §4.1.2.6-7).</summary>
internal enum DtlsRecordOpenResult
{
    /// <summary>Authentic and new: the plaintext is valid and the replay window was advanced.</summary>
    Opened,

    /// <summary>Not protected by this layer's epoch (or not DTLS 1.2); the caller decides what it is.</summary>
    OtherEpoch,

    /// <summary>Sequence number already seen or older than the window (RFC 6347 §4.1.2.6).</summary>
    Replayed,

    /// <summary>Fragment too short for the AEAD overhead, or plaintext over 2^14 (RFC 5246 §6.2.1).</summary>
    Malformed,

    /// <summary>Tag check failed: forged, corrupted or for another key. Discarded silently (RFC 6347 §4.1.2.7).</summary>
    AuthenticationFailed,
}
