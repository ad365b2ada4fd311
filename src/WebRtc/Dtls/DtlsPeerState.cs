using Org.BouncyCastle.Crypto.Tls;

namespace Enslavism.WebRtc.Dtls;

/// <summary>
/// What the BouncyCastle peer callbacks learnt during a handshake, read by <see cref="BcDtlsEngine"/> afterwards.
/// Written on the handshake worker, read on the event loop after the engine's state transition (a lock provides
/// the memory barrier); alerts after the handshake are written and read on the event loop.
/// </summary>
internal sealed class DtlsPeerState
{
    public DtlsPeerState(IReadOnlyList<DtlsFingerprint> expectedFingerprints)
    {
        ExpectedFingerprints = expectedFingerprints;
    }

    public IReadOnlyList<DtlsFingerprint> ExpectedFingerprints { get; }

    public DtlsFingerprint? VerifiedPeerFingerprint { get; set; }

    /// <summary>The end-entity certificate that matched <see cref="VerifiedPeerFingerprint"/>.</summary>
    public Org.BouncyCastle.Asn1.X509.X509CertificateStructure? VerifiedPeerCertificate { get; private set; }

    public DtlsFailureReason? VerificationFailure { get; set; }

    public int? SrtpProtectionProfile { get; set; }

    /// <summary>The ECDHE agreement of this handshake ran on the BCL (<see cref="NetEcdheKeyExchange"/>).</summary>
    public bool BclKeyAgreement { get; set; }

    /// <summary>The peer's CertificateVerify was checked on the BCL (<see cref="WebRtcDtlsServerProtocol"/>).</summary>
    public bool BclCertificateVerify { get; set; }

    public byte? LastAlertRaised { get; set; }

    public byte? LastAlertReceived { get; set; }

    public bool FatalAlertReceived { get; set; }

    public bool CloseNotifyReceived { get; set; }

    public void OnAlertRaised(byte alertLevel, byte alertDescription)
    {
        if (alertLevel == AlertLevel.fatal || LastAlertRaised is null)
        {
            LastAlertRaised = alertDescription;
        }
    }

    public void OnAlertReceived(byte alertLevel, byte alertDescription)
    {
        LastAlertReceived = alertDescription;
        FatalAlertReceived |= alertLevel == AlertLevel.fatal;
        CloseNotifyReceived |= alertDescription == AlertDescription.close_notify;
    }

    /// <summary>
    /// SECURITY-CRITICAL (RFC 8122 §5, RFC 5763 §5): the certificate is the only thing binding this DTLS session to
    /// the peer that signalled the SDP. Accept only an end-entity certificate whose SHA-256 equals one of the
    /// fingerprints from the remote description; BC then checks CertificateVerify / ServerKeyExchange signatures
    /// with that certificate's key, proving possession.
    /// </summary>
    public void VerifyPeerCertificate(Certificate? chain)
    {
        if (chain is null || chain.IsEmpty)
        {
            VerificationFailure = DtlsFailureReason.MissingPeerCertificate;
            throw new TlsFatalAlert(AlertDescription.handshake_failure);
        }

        var certificate = chain.GetCertificateAt(0);
        var der = certificate.GetDerEncoded();
        var actual = DtlsFingerprint.FromCertificateDer(der);
        var match = false;
        foreach (var expected in ExpectedFingerprints)
        {
            match |= expected.Equals(actual);
        }

        if (!match)
        {
            VerificationFailure = DtlsFailureReason.FingerprintMismatch;
            throw new TlsFatalAlert(AlertDescription.bad_certificate);
        }

        VerifiedPeerFingerprint = actual;
        VerifiedPeerCertificate = certificate;
    }

    /// <summary>Defence in depth: never report a completed handshake whose peer certificate was not checked.</summary>
    public void EnsureVerified()
    {
        if (VerifiedPeerFingerprint is null)
        {
            VerificationFailure ??= DtlsFailureReason.MissingPeerCertificate;
            throw new TlsFatalAlert(AlertDescription.handshake_failure);
        }
    }
}
