using System.Diagnostics.CodeAnalysis;
using Enslavism.WebRtc.Core;
using Enslavism.WebRtc.Dtls;
using Enslavism.WebRtc.Ice;
using Enslavism.WebRtc.Sctp;
using Enslavism.WebRtc.Sdp;

namespace Enslavism.WebRtc.Session;

/// <summary>
/// Creates <see cref="WebRtcSession"/>s from SDP: <see cref="TryAccept"/> answers a remote offer (we are ICE-lite,
/// DTLS server, odd stream ids), <see cref="CreateOffer"/> + <see cref="WebRtcOffer.TryApplyAnswer"/> make a .NET
/// offerer (ICE controlling, DTLS client, even stream ids). Counts live sessions against
/// <see cref="WebRtcSessionFactoryOptions.MaxSessions"/>. Thread-safe; sessions themselves are not.
/// </summary>
public sealed class WebRtcSessionFactory
{
    private readonly WebRtcSessionFactoryOptions _options;
    private readonly IReadOnlyList<DtlsFingerprint> _ownFingerprint;
    private int _liveSessions;

    public WebRtcSessionFactory(WebRtcSessionFactoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _ownFingerprint = [options.Identity.Fingerprint];
    }

    public WebRtcSessionFactoryOptions Options => _options;

    public int LiveSessions => Volatile.Read(ref _liveSessions);

    /// <summary>Validates a remote offer, creates the answering session and builds the answer SDP.</summary>
    public bool TryAccept(TimeSpan now, string offerSdp, [NotNullWhen(true)] out string? answerSdp,
        [NotNullWhen(true)] out WebRtcSession? session, [NotNullWhen(false)] out SessionError? error)
    {
        answerSdp = null;
        session = null;
        if (_options.AnnouncedCandidates.Count == 0)
        {
            throw new InvalidOperationException("AnnouncedCandidates must be configured to answer offers");
        }

        if (!SdpOfferParser.TryParse(offerSdp, _options.SdpParser, out var offer, out var sdpError))
        {
            error = new SessionError(SessionErrorReason.InvalidSdp, "offer rejected", sdpError);
            return false;
        }

        if (!TryReserve(out error))
        {
            return false;
        }

        var credentials = IceCredentials.Generate(_options.Random);
        var answerOptions = new SdpAnswerOptions
        {
            Candidates = _options.AnnouncedCandidates,
            CertificateSha256 = _options.Identity.Fingerprint.Hash.ToArray(),
            MaxMessageSize = _options.MaxMessageSize,
        };
        answerSdp = SdpAnswerBuilder.Build(offer!, credentials, answerOptions, NextUInt64());
        var remoteFingerprints = Sha256Fingerprints(offer!.Fingerprints);
        var lite = new IceLiteAgent(now, credentials, offer.IceUfrag, offer.IcePwd, _options.Session.IceLite);
        var dtls = CreateEngine(DtlsRole.Server, remoteFingerprints);
        session = new WebRtcSession(now, lite, null, dtls, SctpOptionsFor(answerOptions.SctpPort, offer.SctpPort),
            new SctpRandom(_options.Random), _options.Session, offer.EffectiveMaxMessageSize, Release);
        error = null;
        return true;
    }

    /// <summary>Makes a data-channel offer for a .NET client; apply the remote answer with <see cref="WebRtcOffer.TryApplyAnswer"/>.</summary>
    public WebRtcOffer CreateOffer()
    {
        var credentials = IceCredentials.Generate(_options.Random);
        var sdp = SdpOfferBuilder.Build(credentials, _options.Identity.Fingerprint.Hash, NextUInt64(), maxMessageSize: _options.MaxMessageSize);
        return new WebRtcOffer(this, credentials, sdp);
    }

    internal bool TryCreateOfferer(TimeSpan now, WebRtcOffer offer, string answerSdp, [NotNullWhen(true)] out WebRtcSession? session, [NotNullWhen(false)] out SessionError? error)
    {
        session = null;
        if (!SdpAnswerParser.TryParse(answerSdp, _options.SdpParser, out var answer, out var sdpError))
        {
            error = new SessionError(SessionErrorReason.InvalidSdp, "answer rejected", sdpError);
            return false;
        }

        if (!TryReserve(out error))
        {
            return false;
        }

        var controlling = new IceControllingAgent(now, offer.LocalCredentials, answer!.IceUfrag, answer.IcePwd, answer.Candidates,
            _options.Random, _options.Session.IceControlling);
        // RFC 8842 §5.3: an answer of passive (or none) makes us the DTLS client; active makes us the server.
        var role = answer.Setup == SdpSetupRole.Active ? DtlsRole.Server : DtlsRole.Client;
        var dtls = CreateEngine(role, Sha256Fingerprints(answer.Fingerprints));
        session = new WebRtcSession(now, null, controlling, dtls, SctpOptionsFor(5000, answer.SctpPort),
            new SctpRandom(_options.Random), _options.Session, answer.EffectiveMaxMessageSize, Release);
        return true;
    }

    private bool TryReserve([NotNullWhen(false)] out SessionError? error)
    {
        while (true)
        {
            var current = Volatile.Read(ref _liveSessions);
            if (current >= _options.MaxSessions)
            {
                error = new SessionError(SessionErrorReason.TooManySessions, $"{_options.MaxSessions} sessions are alive");
                return false;
            }

            if (Interlocked.CompareExchange(ref _liveSessions, current + 1, current) == current)
            {
                error = null;
                return true;
            }
        }
    }

    private void Release(WebRtcSession session) => Interlocked.Decrement(ref _liveSessions);

    private IDtlsEngine CreateEngine(DtlsRole role, IReadOnlyList<DtlsFingerprint> remote) =>
        _options.DtlsEngineFactory is { } factory
            ? factory(role, _options.Identity, remote, _options.Session.Dtls)
            : new BcDtlsEngine(role, _options.Identity, remote, _options.Session.Dtls);

    private SctpOptions SctpOptionsFor(int localPort, int remotePort)
    {
        var sctp = _options.Session.Sctp;
        var maxMessage = (int)Math.Max(sctp.MaxMessageSize, _options.MaxMessageSize);
        return sctp with
        {
            LocalPort = (ushort)localPort,
            RemotePort = (ushort)remotePort,
            MaxMessageSize = maxMessage,
            ReceiveBufferSize = Math.Max(sctp.ReceiveBufferSize, maxMessage),
        };
    }

    private static List<DtlsFingerprint> Sha256Fingerprints(IReadOnlyList<SdpFingerprint> fingerprints) =>
        [.. fingerprints.Where(f => f.IsSha256 && f.Digest.Length == DtlsFingerprint.Sha256Length).Select(f => DtlsFingerprint.FromSha256(f.Digest.Span))];

    private ulong NextUInt64()
    {
        Span<byte> bytes = stackalloc byte[8];
        _options.Random.Fill(bytes);
        return BitConverter.ToUInt64(bytes);
    }

    private sealed class SctpRandom(IRandomSource random) : ISctpRandomSource
    {
        public void NextBytes(Span<byte> destination) => random.Fill(destination);
    }
}
