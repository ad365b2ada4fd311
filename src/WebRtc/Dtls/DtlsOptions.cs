namespace Enslavism.WebRtc.Dtls;

/// <summary>Limits and knobs of one DTLS session. Defaults follow webrtc-stack.md §3.3–3.5.</summary>
public sealed class DtlsOptions
{
    /// <summary>Whole-handshake bound, counted from <see cref="IDtlsEngine.Start"/>. Default 10 s.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Largest datagram we send (DTLS record header + ciphertext). Handshake messages are fragmented to it and the
    /// application plaintext limit follows from it (1200 → 1163 with AES-GCM). 1200 keeps us under every common
    /// path MTU after IP/UDP headers, as browsers do.
    /// </summary>
    public int Mtu { get; init; } = 1200;

    /// <summary>Largest inbound datagram accepted; bigger ones are dropped. Peers with a larger MTU send up to ~1500.</summary>
    public int MaxInboundDatagramSize { get; init; } = 2048;

    /// <summary>
    /// Datagrams queued for the handshake worker before new ones are dropped; also bounds the epoch-1 records kept
    /// while the handshake finishes (the peer's Finished, early application data) for the record layer.
    /// </summary>
    public int MaxQueuedInboundDatagrams { get; init; } = 64;

    /// <summary>Bytes of outgoing datagrams not yet polled by the host before new ones are dropped.</summary>
    public int MaxQueuedTransmitBytes { get; init; } = 1 << 20;

    /// <summary>Maximum records in one inbound datagram (more is hostile: real peers send a handful).</summary>
    public int MaxRecordsPerDatagram { get; init; } = 32;

    /// <summary>
    /// Run BouncyCastle's AES-GCM during the handshake (the Finished records) on the BCL
    /// (<see cref="BclAesGcmCipherFactory"/>); false uses BC's managed GCM. Records after the handshake always use
    /// <see cref="DtlsRecordLayer"/> with the BCL ciphers.
    /// </summary>
    public bool UseBclAesGcm { get; init; } = true;

    /// <summary>
    /// Do the handshake's P-256 public-key operations (ECDHE key generation and agreement, ECDSA signing and
    /// verification) on the BCL (OpenSSL) instead of BouncyCastle's managed EC math; other curves and keys stay on BC.
    /// </summary>
    public bool UseBclPublicKeyCrypto { get; init; } = true;

    /// <summary>Refuse peers that do not negotiate RFC 7627 extended master secret. Every browser does; off by default.</summary>
    public bool RequireExtendedMasterSecret { get; init; }

    /// <summary>
    /// Client role: offer use_srtp (RFC 5764) like browsers do, so servers that insist on it (werift) accept us.
    /// The server role always echoes use_srtp when the client offers it.
    /// </summary>
    public bool OfferUseSrtp { get; init; } = true;

    /// <summary>
    /// After the handshake, a peer that lost our final flight retransmits its own (epoch-0 handshake records,
    /// RFC 6347 §4.2.4) and we resend ours: at most once per this interval, because one retransmitted flight spans
    /// several records. Default 100 ms.
    /// </summary>
    public TimeSpan FinalFlightResendInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often the final flight is resent at most over the session's life. Default 10.</summary>
    public int MaxFinalFlightResends { get; init; } = 10;

    public static DtlsOptions Default { get; } = new();

    /// <summary>Throws on nonsensical configuration (a programming error, never network input).</summary>
    public void Validate()
    {
        if (HandshakeTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(HandshakeTimeout), HandshakeTimeout, "Must be positive.");
        }

        // A handshake flight fragment needs room for the 13+12 byte headers plus some payload.
        if (Mtu is < 256 or > 16384)
        {
            throw new ArgumentOutOfRangeException(nameof(Mtu), Mtu, "Must be within 256..16384.");
        }

        if (MaxInboundDatagramSize < Mtu || MaxInboundDatagramSize > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxInboundDatagramSize), MaxInboundDatagramSize, "Must be within Mtu..65535.");
        }

        if (MaxQueuedInboundDatagrams < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxQueuedInboundDatagrams), MaxQueuedInboundDatagrams, "Must be positive.");
        }

        if (MaxQueuedTransmitBytes < Mtu)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxQueuedTransmitBytes), MaxQueuedTransmitBytes, "Must hold at least one datagram.");
        }

        if (FinalFlightResendInterval < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(FinalFlightResendInterval), FinalFlightResendInterval, "Must not be negative.");
        }

        if (MaxFinalFlightResends < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxFinalFlightResends), MaxFinalFlightResends, "Must not be negative.");
        }

        if (MaxRecordsPerDatagram < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRecordsPerDatagram), MaxRecordsPerDatagram, "Must be positive.");
        }
    }
}
