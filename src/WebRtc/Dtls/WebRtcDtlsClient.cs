using System.Collections;
using Org.BouncyCastle.Crypto.Tls;
using TlsCertificateRequest = Org.BouncyCastle.Crypto.Tls.CertificateRequest;

namespace Enslavism.WebRtc.Dtls;

/// <summary>
/// BouncyCastle client peer for a .NET offerer whose remote side chose <c>a=setup:passive</c>: DTLS 1.2, ECDSA
/// client certificate, server certificate checked against the answer's fingerprint, use_srtp offered like browsers.
/// </summary>
internal sealed class WebRtcDtlsClient : DefaultTlsClient, IWebRtcDtlsPeer
{
    private readonly DtlsIdentity _identity;
    private readonly DtlsOptions _options;
    private readonly DtlsPeerState _state;

    public TlsContext Context => mContext;

    public WebRtcDtlsClient(TlsCipherFactory cipherFactory, DtlsIdentity identity, DtlsOptions options, DtlsPeerState state)
        : base(cipherFactory)
    {
        _identity = identity;
        _options = options;
        _state = state;
    }

    public override ProtocolVersion ClientVersion => ProtocolVersion.DTLSv12;

    public override ProtocolVersion MinimumVersion => ProtocolVersion.DTLSv12;

    public override int[] GetCipherSuites() => DtlsCipherSuites.Preferred;

    public override IDictionary GetClientExtensions()
    {
        var extensions = TlsExtensionsUtilities.EnsureExtensionsInitialised(base.GetClientExtensions());
        if (_options.OfferUseSrtp)
        {
            TlsSRTPUtils.AddUseSrtpExtension(extensions, new UseSrtpData(DtlsCipherSuites.SrtpProfiles, []));
        }

        return extensions;
    }

    public override void ProcessServerExtensions(IDictionary serverExtensions)
    {
        base.ProcessServerExtensions(serverExtensions);
        if (serverExtensions is not null
            && TlsSRTPUtils.GetUseSrtpExtension(serverExtensions)?.ProtectionProfiles is { Length: 1 } profiles)
        {
            _state.SrtpProtectionProfile = profiles[0];
        }
    }

    public override TlsAuthentication GetAuthentication() => new Authentication(this);

    protected override TlsKeyExchange CreateECDheKeyExchange(int keyExchange) => _options.UseBclPublicKeyCrypto
        ? new NetEcdheKeyExchange(keyExchange, mSupportedSignatureAlgorithms, mNamedCurves, mClientECPointFormats, mServerECPointFormats, _state)
        : base.CreateECDheKeyExchange(keyExchange);

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

    private sealed class Authentication(WebRtcDtlsClient owner) : TlsAuthentication
    {
        public void NotifyServerCertificate(Certificate serverCertificate) =>
            owner._state.VerifyPeerCertificate(serverCertificate);

        public TlsCredentials? GetClientCredentials(TlsCertificateRequest certificateRequest)
        {
            if (certificateRequest.CertificateTypes is not { } types || Array.IndexOf(types, ClientCertificateType.ecdsa_sign) < 0)
            {
                // Our only key is ECDSA; an empty Certificate lets the server decide (WebRTC servers will refuse).
                return null;
            }

            var algorithm = new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);
            return owner._options.UseBclPublicKeyCrypto && owner._identity.HasBclSigningKey
                ? new NetEcdsaSignerCredentials(owner._identity, algorithm)
                : new DefaultTlsSignerCredentials(owner.mContext, owner._identity.Chain, owner._identity.PrivateKey, algorithm);
        }
    }
}
