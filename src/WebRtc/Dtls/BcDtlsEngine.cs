using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Tls;
using Org.BouncyCastle.Security;

namespace Enslavism.WebRtc.Dtls;

/// <summary>
/// DTLS 1.2 (RFC 6347) with BouncyCastle 1.8.10's legacy <c>Org.BouncyCastle.Crypto.Tls</c> handshake and our own
/// record layer afterwards, fenced into the sans-IO <see cref="IDtlsEngine"/> shape (webrtc-stack.md §3.3, §3.5).
/// </summary>
/// <remarks>
/// <para>BC's handshake (<c>DtlsServerProtocol.Accept</c> / <c>DtlsClientProtocol.Connect</c>) is blocking and keeps
/// its own wall-clock retransmission timers, so it runs inside <see cref="RunHandshake"/> on a worker thread the
/// host provides (never one we create), fed by a queue that <see cref="HandleInput"/> fills. The whole-handshake
/// deadline is ours and follows the <c>now</c> passed in (<see cref="PollTimeout"/>/<see cref="HandleTimeout"/>).</para>
/// <para>After the handshake BC is dropped: its <c>DtlsTransport</c> fails the session on the first record that does
/// not authenticate (bad_record_mac), so one spoofed datagram could kill it, and it costs a queue, copies and a
/// polling receive per record. Instead <see cref="DtlsRecordLayer"/> protects epoch-1 records with keys derived from
/// the master secret BC negotiated (RFC 5246 §6.3, captured by <see cref="DtlsSecretCapturingCipherFactory"/>),
/// synchronously on the caller's thread. Records that are forged, corrupted, replayed, truncated or of an unknown
/// epoch are discarded and counted (RFC 6347 §4.1.2.7), never fatal. The write sequence number continues after the
/// highest epoch-1 record BC sent (its Finished); epoch-1 records that arrived while BC was finishing are fed to the
/// record layer afterwards, which seeds the replay window (§4.1.2.6) with what the peer actually sent.</para>
/// <para>The last flight BC sent is kept: if the peer retransmits its final flight after we completed (epoch-0
/// handshake records, RFC 6347 §4.2.4: our last flight was lost), the engine resends those datagrams, rate-limited
/// by <see cref="DtlsOptions.FinalFlightResendInterval"/> and <see cref="DtlsOptions.MaxFinalFlightResends"/>.</para>
/// </remarks>
public sealed class BcDtlsEngine : IDtlsEngine
{
    private const ushort ApplicationEpoch = 1; // BC 1.8.10 DTLS never renegotiates: epoch 0 = handshake, 1 = the rest.
    private const int MaxFlightDatagrams = 64;

    private readonly object _gate = new();
    private readonly object _transmitGate = new();
    private readonly Queue<DtlsEvent> _events = new();
    private readonly Queue<byte[]> _transmits = new();
    private readonly DtlsOptions _options;
    private readonly DtlsPeerState _peerState;
    private readonly QueueDatagramTransport _transport;
    private readonly DtlsSecretCapturingCipherFactory _cipherFactory;
    private readonly SecureRandom _random;
    private readonly TlsPeer _tlsPeer;
    private readonly CancellationTokenSource _abort = new();
    private readonly byte[] _plaintext = new byte[DtlsRecordLayer.MaxPlaintextLength];
    private readonly List<byte[]> _flight = [];
    private readonly List<byte[]> _earlyRecords = [];
    private byte[][] _finalFlight = [];
    private DtlsRecordLayer? _records;
    private DtlsEngineState _state = DtlsEngineState.New;
    private TimeSpan? _handshakeDeadline;
    private TimeSpan _lastInput;
    private TimeSpan? _lastFlightResend;
    private int _handshakeRuns;
    private int _transmitBytes;
    private int _workerThreadId;
    private int _flightReceiveMark = -1;
    private long _highestSentSequence = -1;

    /// <param name="role">Server for our answerer (<c>a=setup:passive</c>), client otherwise.</param>
    /// <param name="identity">Our certificate and key.</param>
    /// <param name="remoteFingerprints">Every <c>a=fingerprint</c> of the remote description; the peer's certificate
    /// must match one (RFC 8122 §5). Must not be empty: an SDP without a fingerprint is refused before this point.</param>
    /// <param name="options">Limits; <see cref="DtlsOptions.Default"/> when null.</param>
    /// <param name="random">Randomness for handshake nonces and keys; a fresh cryptographic <see cref="SecureRandom"/>
    /// when null. Tests may pass a seeded one.</param>
    public BcDtlsEngine(
        DtlsRole role,
        DtlsIdentity identity,
        IReadOnlyList<DtlsFingerprint> remoteFingerprints,
        DtlsOptions? options = null,
        SecureRandom? random = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(remoteFingerprints);
        if (remoteFingerprints.Count == 0)
        {
            throw new ArgumentException("At least one remote fingerprint is required.", nameof(remoteFingerprints));
        }

        _options = options ?? DtlsOptions.Default;
        _options.Validate();
        Role = role;
        _random = random ?? new SecureRandom();
        _peerState = new DtlsPeerState([.. remoteFingerprints]);
        _transport = new QueueDatagramTransport(
            _options.MaxInboundDatagramSize, _options.Mtu, _options.MaxQueuedInboundDatagrams, OnTransportSend);
        _cipherFactory = new DtlsSecretCapturingCipherFactory(
            _options.UseBclAesGcm ? new BclAesGcmCipherFactory() : new DefaultTlsCipherFactory());
        _tlsPeer = role == DtlsRole.Server
            ? new WebRtcDtlsServer(_cipherFactory, identity, _options, _peerState)
            : new WebRtcDtlsClient(_cipherFactory, identity, _options, _peerState);
    }

    public DtlsRole Role { get; }

    public DtlsEngineState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    public int MaxApplicationDataSize { get; private set; }

    public bool RequiresHandshakeWorker => true;

    public Action? OutputAvailable { get; set; }

    /// <summary>Inbound datagrams dropped because they were not well-formed DTLS or too large.</summary>
    public long MalformedDatagrams { get; private set; }

    /// <summary>Inbound datagrams dropped because the queue was full or the session was over.</summary>
    public long DroppedDatagrams { get; private set; }

    /// <summary>
    /// Well-formed records dropped after the handshake: unknown epoch or version, unauthenticated epoch-0 records
    /// other than handshake messages, warning alerts, or content types with no meaning after the handshake.
    /// </summary>
    public long FilteredRecords { get; private set; }

    /// <summary>Epoch-1 records whose authentication tag did not verify (forged or corrupted); discarded.</summary>
    public long AuthenticationFailures { get; private set; }

    /// <summary>Epoch-1 records with a sequence number already received or older than the replay window.</summary>
    public long ReplayedRecords { get; private set; }

    /// <summary>
    /// Records after the handshake that were truncated, too short for the AEAD overhead, longer than 2^14 bytes of
    /// plaintext, beyond <see cref="DtlsOptions.MaxRecordsPerDatagram"/>, or alerts of the wrong size.
    /// </summary>
    public long MalformedRecords { get; private set; }

    /// <summary>Handshake records received after the handshake (the peer retransmitting its final flight).</summary>
    public long LateHandshakeRecords { get; private set; }

    /// <summary>How often our final handshake flight was resent after the handshake.</summary>
    public long FinalFlightResends { get; private set; }

    /// <summary>Outbound datagrams dropped because the host did not drain <see cref="TryPollTransmit"/>.</summary>
    public long DroppedTransmits { get; private set; }

    /// <summary>
    /// Bytes a sealed record adds to its plaintext (13-byte header, explicit nonce, tag); 0 before the handshake
    /// completed. Size buffers for <see cref="SendTo"/> with it.
    /// </summary>
    public int RecordOverhead { get; private set; }

    public void Start(TimeSpan now)
    {
        lock (_gate)
        {
            if (_state != DtlsEngineState.New)
            {
                return;
            }

            _state = DtlsEngineState.Handshaking;
            _handshakeDeadline = now + _options.HandshakeTimeout;
        }
    }

    public void RunHandshake(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _handshakeRuns) != 1)
        {
            throw new InvalidOperationException("RunHandshake may be called only once.");
        }

        lock (_gate)
        {
            if (_state == DtlsEngineState.New)
            {
                throw new InvalidOperationException("Call Start(now) before RunHandshake.");
            }

            if (_state != DtlsEngineState.Handshaking)
            {
                return;
            }
        }

        Volatile.Write(ref _workerThreadId, Environment.CurrentManagedThreadId);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _abort.Token);
        _transport.SetCancellation(linked.Token);
        try
        {
            // The returned DtlsTransport is deliberately unused: our record layer takes over (see remarks).
            _ = Role == DtlsRole.Server
                ? new WebRtcDtlsServerProtocol(_random, (WebRtcDtlsServer)_tlsPeer, _peerState).Accept((TlsServer)_tlsPeer, _transport)
                : new DtlsClientProtocol(_random).Connect((TlsClient)_tlsPeer, _transport);
            CompleteHandshake();
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                if (_state == DtlsEngineState.Handshaking)
                {
                    var reason = ClassifyHandshakeFailure(ex, cancellationToken.IsCancellationRequested);
                    FailLocked(reason, AlertFor(reason, ex), ex.Message);
                }
            }
        }
        finally
        {
            // The pool may later run the event loop on this very thread; from then on output is not "foreign".
            Volatile.Write(ref _workerThreadId, 0);
            OutputAvailable?.Invoke();
        }
    }

    public void HandleInput(TimeSpan now, ReadOnlySpan<byte> datagram)
    {
        lock (_gate)
        {
            _lastInput = now;
            if (_state is DtlsEngineState.Closed or DtlsEngineState.Failed)
            {
                DroppedDatagrams++;
                return;
            }

            if (datagram.Length > _options.MaxInboundDatagramSize)
            {
                MalformedDatagrams++;
                return;
            }

            if (_state == DtlsEngineState.Connected)
            {
                ReceiveRecordsLocked(now, datagram);
                return;
            }

            if (!DtlsRecordScanner.TryScan(datagram, out _, out _, _options.MaxRecordsPerDatagram))
            {
                MalformedDatagrams++;
                return;
            }

            if (!_transport.TryEnqueue(datagram))
            {
                DroppedDatagrams++;
                return;
            }

            KeepEarlyRecordsLocked(datagram);
        }
    }

    public void HandleTimeout(TimeSpan now)
    {
        lock (_gate)
        {
            if (_state == DtlsEngineState.Handshaking && _handshakeDeadline is { } deadline && now >= deadline)
            {
                FailLocked(DtlsFailureReason.HandshakeTimeout, null, "DTLS handshake did not complete in time.");
            }
        }
    }

    public TimeSpan? PollTimeout()
    {
        lock (_gate)
        {
            return _state == DtlsEngineState.Handshaking ? _handshakeDeadline : null;
        }
    }

    public bool TryPollTransmit(out ReadOnlyMemory<byte> datagram)
    {
        lock (_transmitGate)
        {
            if (_transmits.TryDequeue(out var bytes))
            {
                _transmitBytes -= bytes.Length;
                datagram = bytes;
                return true;
            }
        }

        datagram = default;
        return false;
    }

    public bool TryPollEvent([NotNullWhen(true)] out DtlsEvent? dtlsEvent)
    {
        lock (_gate)
        {
            return _events.TryDequeue(out dtlsEvent);
        }
    }

    public DtlsSendResult Send(ReadOnlySpan<byte> applicationData)
    {
        lock (_gate)
        {
            var refused = CheckSendLocked(applicationData.Length);
            if (refused != DtlsSendResult.Sent)
            {
                return refused;
            }

            // The array becomes the host's (TryPollTransmit), so it cannot be a reused buffer.
            var datagram = new byte[_records!.SealedLength(applicationData.Length)];
            if (!SealLocked(DtlsContentType.ApplicationData, applicationData, datagram))
            {
                return DtlsSendResult.Failed;
            }

            EnqueueTransmit(datagram);
            return DtlsSendResult.Sent;
        }
    }

    /// <summary>
    /// Like <see cref="Send"/>, but seals the record straight into <paramref name="destination"/>, a buffer the
    /// caller owns and sends itself, instead of queueing a new array for <see cref="TryPollTransmit"/>: no
    /// allocation. <paramref name="destination"/> must hold <c>applicationData.Length</c> + <see cref="RecordOverhead"/>
    /// bytes (a shorter one is a programming error and throws).
    /// </summary>
    /// <param name="written">Length of the datagram in <paramref name="destination"/> when the result is Sent.</param>
    public DtlsSendResult SendTo(ReadOnlySpan<byte> applicationData, Span<byte> destination, out int written)
    {
        lock (_gate)
        {
            written = 0;
            var refused = CheckSendLocked(applicationData.Length);
            if (refused != DtlsSendResult.Sent)
            {
                return refused;
            }

            var length = _records!.SealedLength(applicationData.Length);
            if (destination.Length < length)
            {
                throw new ArgumentException($"Destination must hold {length} bytes.", nameof(destination));
            }

            if (!SealLocked(DtlsContentType.ApplicationData, applicationData, destination[..length]))
            {
                return DtlsSendResult.Failed;
            }

            written = length;
            return DtlsSendResult.Sent;
        }
    }

    public void Close()
    {
        lock (_gate)
        {
            switch (_state)
            {
                case DtlsEngineState.Connected:
                    SendAlertLocked(AlertLevel.warning, AlertDescription.close_notify);
                    _state = DtlsEngineState.Closed;
                    _events.Enqueue(new DtlsClosed(ByPeer: false));
                    break;
                case DtlsEngineState.New or DtlsEngineState.Handshaking:
                    _state = DtlsEngineState.Closed;
                    _abort.Cancel();
                    _transport.Close();
                    _events.Enqueue(new DtlsClosed(ByPeer: false));
                    break;
                default:
                    break;
            }

            _transport.DropQueued();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_state is DtlsEngineState.New or DtlsEngineState.Handshaking or DtlsEngineState.Connected)
            {
                _state = DtlsEngineState.Closed;
            }

            _abort.Cancel();
            _transport.Close();
            _records?.Dispose();
            _records = null;
        }
    }

    /// <summary>
    /// Takes over from BC once its handshake returned: keys from the captured master secret, the write sequence
    /// after BC's last epoch-1 record, the final flight for resends, then the epoch-1 records that arrived meanwhile.
    /// BC's transport is closed so BC can never write again with its own (now stale) sequence numbers.
    /// </summary>
    private void CompleteHandshake()
    {
        lock (_gate)
        {
            if (_state != DtlsEngineState.Handshaking)
            {
                // Timed out or closed while BC was finishing: the session is already reported over.
                return;
            }

            _transport.Close();
            _transport.DropQueued();
            if (_peerState.VerifiedPeerFingerprint is not { } peerFingerprint)
            {
                // Unreachable unless BC skips a peer callback; never report an unauthenticated session as connected.
                FailLocked(DtlsFailureReason.MissingPeerCertificate, AlertDescription.handshake_failure, "Peer certificate was never verified.");
                return;
            }

            var secrets = _cipherFactory.Secrets;
            long highestSent;
            lock (_transmitGate)
            {
                highestSent = _highestSentSequence;
                _finalFlight = [.. _flight];
                _flight.Clear();
            }

            if (secrets is null || !DtlsAeadSuite.TryGet(secrets.CipherSuite, out var suite) || highestSent < 0)
            {
                // Only AEAD suites are offered and both sides send Finished in epoch 1: a broken invariant.
                FailLocked(DtlsFailureReason.InternalError, AlertDescription.internal_error,
                    $"No record layer for suite 0x{secrets?.CipherSuite ?? 0:X4}, or the handshake sent no epoch-1 record.");
                return;
            }

            var keys = DtlsKeyMaterial.Derive(suite, secrets.MasterSecret, secrets.ClientRandom, secrets.ServerRandom);
            CryptographicOperations.ZeroMemory(secrets.MasterSecret);
            var server = Role == DtlsRole.Server;
            _records = new DtlsRecordLayer(
                DtlsRecordCipher.Create(suite, server ? keys.ServerWriteKey : keys.ClientWriteKey, server ? keys.ServerWriteIv : keys.ClientWriteIv),
                DtlsRecordCipher.Create(suite, server ? keys.ClientWriteKey : keys.ServerWriteKey, server ? keys.ClientWriteIv : keys.ServerWriteIv),
                ApplicationEpoch,
                (ulong)highestSent + 1);
            MaxApplicationDataSize = _records.PlaintextLimit(_options.Mtu);
            RecordOverhead = _records.SealedLength(0);
            _state = DtlsEngineState.Connected;
            var parameters = ((IWebRtcDtlsPeer)_tlsPeer).Context.SecurityParameters;
            _events.Enqueue(new DtlsHandshakeCompleted(
                peerFingerprint,
                secrets.CipherSuite,
                _peerState.SrtpProtectionProfile,
                parameters.IsExtendedMasterSecret,
                MaxApplicationDataSize));

            // The peer's Finished (and possibly its first application data) arrived while BC was still in charge.
            foreach (var record in _earlyRecords)
            {
                ReceiveRecordsLocked(_lastInput, record);
            }

            _earlyRecords.Clear();
        }
    }

    /// <summary>Copies epoch-1 records seen during the handshake (bounded) so the record layer can process them.</summary>
    private void KeepEarlyRecordsLocked(ReadOnlySpan<byte> datagram)
    {
        var rest = datagram;
        while (DtlsRecordHeader.TryParse(rest, out var header, out _) && DtlsRecordHeader.Size + header.Length <= rest.Length)
        {
            var length = DtlsRecordHeader.Size + header.Length;
            if (header.Epoch == ApplicationEpoch && _earlyRecords.Count < _options.MaxQueuedInboundDatagrams)
            {
                _earlyRecords.Add(rest[..length].ToArray());
            }

            rest = rest[length..];
        }
    }

    /// <summary>Handles every record of a datagram after the handshake. Only a peer alert can end the session here.</summary>
    private void ReceiveRecordsLocked(TimeSpan now, ReadOnlySpan<byte> datagram)
    {
        if (datagram.IsEmpty)
        {
            MalformedDatagrams++;
            return;
        }

        var rest = datagram;
        var records = 0;
        while (!rest.IsEmpty && _state == DtlsEngineState.Connected)
        {
            if (!DtlsRecordHeader.TryParse(rest, out var header, out _))
            {
                // Garbage from the first byte is not DTLS at all; later on it is a damaged tail.
                if (records == 0)
                {
                    MalformedDatagrams++;
                }
                else
                {
                    MalformedRecords++;
                }

                return;
            }

            var length = DtlsRecordHeader.Size + header.Length;
            if (length > rest.Length || ++records > _options.MaxRecordsPerDatagram)
            {
                MalformedRecords++;
                return;
            }

            HandleRecordLocked(now, header, rest[DtlsRecordHeader.Size..length]);
            rest = rest[length..];
        }
    }

    private void HandleRecordLocked(TimeSpan now, in DtlsRecordHeader header, ReadOnlySpan<byte> fragment)
    {
        var records = _records!;
        if (header.Epoch == 0)
        {
            if (header.ContentType == DtlsContentType.Handshake)
            {
                LateHandshakeRecords++;
                ResendFinalFlightLocked(now);
            }
            else
            {
                // A retransmitted ChangeCipherSpec, or an unauthenticated alert anyone could have sent.
                FilteredRecords++;
            }

            return;
        }

        var plaintext = _plaintext.AsSpan(0, Math.Max(0, records.PlaintextLength(header)));
        switch (records.Open(header, fragment, plaintext))
        {
            case DtlsRecordOpenResult.Opened:
                DispatchLocked(header.ContentType, plaintext);
                break;
            case DtlsRecordOpenResult.Replayed:
                ReplayedRecords++;
                break;
            case DtlsRecordOpenResult.AuthenticationFailed:
                AuthenticationFailures++;
                break;
            case DtlsRecordOpenResult.Malformed:
                MalformedRecords++;
                break;
            default:
                FilteredRecords++;
                break;
        }
    }

    private void DispatchLocked(DtlsContentType type, ReadOnlySpan<byte> plaintext)
    {
        switch (type)
        {
            case DtlsContentType.ApplicationData:
                // Empty application_data records are legal padding against traffic analysis; nothing to deliver.
                if (!plaintext.IsEmpty)
                {
                    _events.Enqueue(new DtlsApplicationData(plaintext.ToArray()));
                }

                break;
            case DtlsContentType.Alert when plaintext.Length == 2:
                HandleAlertLocked(plaintext[0], plaintext[1]);
                break;
            case DtlsContentType.Alert:
                MalformedRecords++;
                break;
            case DtlsContentType.Handshake:
                // The peer's Finished again, part of a retransmitted final flight; its epoch-0 records trigger our resend.
                LateHandshakeRecords++;
                break;
            default:
                FilteredRecords++;
                break;
        }
    }

    /// <summary>RFC 5246 §7.2: close_notify is answered and closes; a fatal alert ends the session; warnings are ignored.</summary>
    private void HandleAlertLocked(byte level, byte description)
    {
        _peerState.OnAlertReceived(level, description);
        if (description == AlertDescription.close_notify)
        {
            SendAlertLocked(AlertLevel.warning, AlertDescription.close_notify);
            _state = DtlsEngineState.Closed;
            _events.Enqueue(new DtlsClosed(ByPeer: true));
        }
        else if (level == AlertLevel.fatal)
        {
            FailLocked(DtlsFailureReason.PeerAlert, description, $"Peer sent fatal alert {description}.");
        }
        else
        {
            FilteredRecords++;
        }
    }

    private void ResendFinalFlightLocked(TimeSpan now)
    {
        if (_finalFlight.Length == 0 || FinalFlightResends >= _options.MaxFinalFlightResends
            || (_lastFlightResend is { } last && now - last < _options.FinalFlightResendInterval))
        {
            return;
        }

        _lastFlightResend = now;
        FinalFlightResends++;
        foreach (var datagram in _finalFlight)
        {
            EnqueueTransmit((byte[])datagram.Clone());
        }
    }

    private DtlsSendResult CheckSendLocked(int length)
    {
        if (_state != DtlsEngineState.Connected || _records is null)
        {
            return DtlsSendResult.NotConnected;
        }

        return length > MaxApplicationDataSize ? DtlsSendResult.TooLarge : DtlsSendResult.Sent;
    }

    /// <summary>Seals one record; running out of sequence numbers fails the session (never reuse a nonce).</summary>
    private bool SealLocked(DtlsContentType type, ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        if (_records!.TrySeal(type, plaintext, destination, out _))
        {
            return true;
        }

        FailLocked(DtlsFailureReason.InternalError, AlertDescription.internal_error, "DTLS write sequence numbers exhausted.");
        return false;
    }

    private void SendAlertLocked(byte level, byte description)
    {
        ReadOnlySpan<byte> alert = [level, description];
        var datagram = new byte[_records!.SealedLength(alert.Length)];
        if (_records.TrySeal(DtlsContentType.Alert, alert, datagram, out _))
        {
            EnqueueTransmit(datagram);
        }
    }

    private void FailLocked(DtlsFailureReason reason, byte? alert, string message)
    {
        _state = DtlsEngineState.Failed;
        _events.Enqueue(new DtlsFailed(reason, alert, message));
        _abort.Cancel();
        _transport.Close();
        _transport.DropQueued();
    }

    private DtlsFailureReason ClassifyHandshakeFailure(Exception ex, bool cancelledByHost)
    {
        if (_peerState.VerificationFailure is { } verification)
        {
            return verification;
        }

        if (cancelledByHost || ex is OperationCanceledException || ex.InnerException is OperationCanceledException)
        {
            return DtlsFailureReason.Cancelled;
        }

        if (_peerState.FatalAlertReceived)
        {
            return DtlsFailureReason.PeerAlert;
        }

        return ex is TlsFatalAlert ? DtlsFailureReason.LocalAlert : DtlsFailureReason.InternalError;
    }

    private byte? AlertFor(DtlsFailureReason reason, Exception ex) => reason switch
    {
        DtlsFailureReason.PeerAlert => _peerState.LastAlertReceived,
        DtlsFailureReason.Cancelled => null,
        _ => (ex as TlsFatalAlert)?.AlertDescription ?? _peerState.LastAlertRaised,
    };

    /// <summary>BC's handshake output (worker thread): queued for the host and remembered as the current flight.</summary>
    private void OnTransportSend(byte[] buffer, int offset, int length)
    {
        var datagram = buffer.AsSpan(offset, length);
        lock (_transmitGate)
        {
            // BC sends a flight only after a receive returned (a peer flight, or its retransmission timer), so a send
            // after a new receive starts the next flight; the one in place when the handshake returns is the last.
            var receives = _transport.ReceiveReturns;
            if (receives != _flightReceiveMark)
            {
                _flightReceiveMark = receives;
                _flight.Clear();
            }

            if (_flight.Count < MaxFlightDatagrams)
            {
                _flight.Add(datagram.ToArray());
            }

            ReadOnlySpan<byte> rest = datagram;
            while (DtlsRecordHeader.TryParse(rest, out var header, out _) && DtlsRecordHeader.Size + header.Length <= rest.Length)
            {
                if (header.Epoch == ApplicationEpoch && (long)header.SequenceNumber > _highestSentSequence)
                {
                    _highestSentSequence = (long)header.SequenceNumber;
                }

                rest = rest[(DtlsRecordHeader.Size + header.Length)..];
            }
        }

        EnqueueTransmit(datagram.ToArray());

        // On the event loop the host drains after its own call anyway; only the worker needs to wake it.
        if (Environment.CurrentManagedThreadId == Volatile.Read(ref _workerThreadId))
        {
            OutputAvailable?.Invoke();
        }
    }

    private void EnqueueTransmit(byte[] datagram)
    {
        lock (_transmitGate)
        {
            if (_transmitBytes + datagram.Length > _options.MaxQueuedTransmitBytes)
            {
                DroppedTransmits++;
                return;
            }

            _transmits.Enqueue(datagram);
            _transmitBytes += datagram.Length;
        }
    }
}
