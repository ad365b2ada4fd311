using System.Collections;
using Org.BouncyCastle.Crypto.Tls;
using TlsCertificateRequest = Org.BouncyCastle.Crypto.Tls.CertificateRequest;

namespace Enslavism.WebRtc.Dtls;

/// <summary>
/// BouncyCastle server peer for the answerer (<c>a=setup:passive</c>, RFC 8842 §5): DTLS 1.2 only, ECDSA
/// certificate, mandatory client certificate checked against the offer's fingerprint, use_srtp echo.
/// </summary>
internal sealed class WebRtcDtlsServer : DefaultTlsServer, IWebRtcDtlsPeer
{
    private readonly DtlsIdentity _identity;
    private readonly DtlsOptions _options;
    private readonly DtlsPeerState _state;

    public TlsContext Context => mContext;

    public WebRtcDtlsServer(TlsCipherFactory cipherFactory, DtlsIdentity identity, DtlsOptions options, DtlsPeerState state)
        : base(cipherFactory)
    {
        _identity = identity;
        _options = options;
        _state = state;
    }

    protected override ProtocolVersion MinimumVersion => ProtocolVersion.DTLSv12;

    protected override ProtocolVersion MaximumVersion => ProtocolVersion.DTLSv12;

    protected override int[] GetCipherSuites() => DtlsCipherSuites.Preferred;

    protected override TlsSignerCredentials GetECDsaSignerCredentials()
    {
        var algorithm = new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);
        return _options.UseBclPublicKeyCrypto && _identity.HasBclSigningKey
            ? new NetEcdsaSignerCredentials(_identity, algorithm)
            : new DefaultTlsSignerCredentials(mContext, _identity.Chain, _identity.PrivateKey, algorithm);
    }

    protected override TlsKeyExchange CreateECDheKeyExchange(int keyExchange) => _options.UseBclPublicKeyCrypto
        ? new NetEcdheKeyExchange(keyExchange, mSupportedSignatureAlgorithms, mNamedCurves, mClientECPointFormats, mServerECPointFormats, _state)
        : base.CreateECDheKeyExchange(keyExchange);

    /// <summary>Whether the peer's CertificateVerify may be checked on the BCL (<see cref="WebRtcDtlsServerProtocol"/>).</summary>
    internal bool UseBclPublicKeyCrypto => _options.UseBclPublicKeyCrypto;

    /// <summary>The CertificateRequest we sent: CertificateVerify must use one of its signature algorithms.</summary>
    internal System.Collections.IList? RequestedSignatureAlgorithms { get; private set; }

    /// <summary>
    /// Without a CertificateRequest browsers send no certificate and there is nothing to verify. ecdsa_sign must be
    /// listed: Chrome ≥124 aborts otherwise (webrtc-stack.md §1.2).
    /// </summary>
    public override TlsCertificateRequest GetCertificateRequest()
    {
        RequestedSignatureAlgorithms = DtlsCipherSuites.SupportedSignatureAlgorithms();
        return new([ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign], RequestedSignatureAlgorithms, null);
    }

    public override void NotifyClientCertificate(Certificate clientCertificate) =>
        _state.VerifyPeerCertificate(clientCertificate);

    public override void ProcessClientExtensions(IDictionary clientExtensions)
    {
        base.ProcessClientExtensions(clientExtensions);
        var offered = TlsSRTPUtils.GetUseSrtpExtension(clientExtensions);
        if (offered?.ProtectionProfiles is { Length: > 0 } profiles)
        {
            // Echo one profile even though no SRTP follows: werift refuses a data-only answer without it (V12).
            var chosen = Array.Find(DtlsCipherSuites.SrtpProfiles, p => Array.IndexOf(profiles, p) >= 0);
            _state.SrtpProtectionProfile = chosen != 0 ? chosen : profiles[0];
        }
    }

    public override IDictionary GetServerExtensions()
    {
        var extensions = TlsExtensionsUtilities.EnsureExtensionsInitialised(base.GetServerExtensions());
        if (_state.SrtpProtectionProfile is { } profile)
        {
            TlsSRTPUtils.AddUseSrtpExtension(extensions, new UseSrtpData([profile], []));
        }

        return extensions;
    }

    public override int GetHandshakeTimeoutMillis() => (int)Math.Min(int.MaxValue, _options.HandshakeTimeout.TotalMilliseconds);

    public override bool RequiresExtendedMasterSecret() => _options.RequireExtendedMasterSecret;

    public override void NotifyAlertRaised(byte alertLevel, byte alertDescription, string message, Exception cause) =>
        _state.OnAlertRaised(alertLevel, alertDescription);

    public override void NotifyAlertReceived(byte alertLevel, byte alertDescription) =>
        _state.OnAlertReceived(alertLevel, alertDescription);

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        _state.EnsureVerified();
    }
}
