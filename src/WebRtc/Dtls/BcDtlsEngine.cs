using System.Diagnostics.CodeAnalysis;
using Org.BouncyCastle.Crypto.Tls;
using Org.BouncyCastle.Security;

namespace Enslavism.WebRtc.Dtls;

/// <summary>
/// DTLS 1.2 on BouncyCastle 1.8.10's legacy <c>Org.BouncyCastle.Crypto.Tls</c> API, fenced into the sans-IO
/// <see cref="IDtlsEngine"/> shape (webrtc-stack.md §3.3, §3.5).
/// </summary>
/// <remarks>
/// <para>BC's handshake (<c>DtlsServerProtocol.Accept</c> / <c>DtlsClientProtocol.Connect</c>) is blocking and keeps
/// its own wall-clock retransmission timers, so it runs inside <see cref="RunHandshake"/> on a worker thread the
/// host provides (never one we create), fed by a queue that <see cref="HandleInput"/> fills. The whole-handshake
/// deadline is ours and follows the <c>now</c> passed in (<see cref="PollTimeout"/>/<see cref="HandleTimeout"/>).</para>
/// <para>After the handshake the engine is a synchronous record pump on the caller's thread: each received record
/// is decrypted by one non-blocking BC receive call and each <see cref="Send"/> encrypts one record, with no thread
/// and no waiting (V5). BC's receive only returns after a record yields application data, otherwise it polls for
/// up to its 1 ms wait (0 would block forever, V6); the record count from <see cref="DtlsRecordScanner"/> bounds the
/// calls so a normal datagram never hits that wait, and records BC would discard anyway (foreign epoch or version,
/// replays per <see cref="DtlsReplayWindow"/>, stale handshake retransmissions) are filtered before they reach it.</para>
/// <para>BC treats a record that fails authentication as fatal (bad_record_mac) instead of silently discarding it as
/// RFC 6347 §4.1.2.7 recommends; such a datagram fails the session. Only addresses that passed ICE reach us.</para>
/// </remarks>
public sealed class BcDtlsEngine : IDtlsEngine
{
    private readonly object _gate = new();
    private readonly object _transmitGate = new();
    private readonly Queue<DtlsEvent> _events = new();
    private readonly Queue<byte[]> _transmits = new();
    private readonly DtlsOptions _options;
    private readonly DtlsPeerState _peerState;
    private readonly QueueDatagramTransport _transport;
    private readonly SecureRandom _random;
    private readonly TlsPeer _tlsPeer;
    private readonly CancellationTokenSource _abort = new();
    private readonly byte[] _receiveBuffer;
    private readonly byte[] _filterBuffer;
    private readonly DtlsReplayWindow _replayWindow = new();
    private byte[] _sendBuffer = [];
    private DtlsTransport? _dtls;
    private DtlsEngineState _state = DtlsEngineState.New;
    private TimeSpan? _handshakeDeadline;
    private int _handshakeRuns;
    private int _transmitBytes;
    private int _workerThreadId;
    private int _lateHandshakeRecords;

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
        _receiveBuffer = new byte[_options.MaxInboundDatagramSize];
        _filterBuffer = new byte[_options.MaxInboundDatagramSize];
        _transport = new QueueDatagramTransport(
            _options.MaxInboundDatagramSize, _options.Mtu, _options.MaxQueuedInboundDatagrams, OnTransportSend);
        TlsCipherFactory cipherFactory = _options.UseBclAesGcm ? new BclAesGcmCipherFactory() : new DefaultTlsCipherFactory();
        _tlsPeer = role == DtlsRole.Server
            ? new WebRtcDtlsServer(cipherFactory, identity, _options, _peerState)
            : new WebRtcDtlsClient(cipherFactory, identity, _options, _peerState);
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
    /// Well-formed records dropped after the handshake without reaching BouncyCastle: unknown epoch or version,
    /// replayed sequence number, or epoch-0 handshake records beyond the few a retransmitted final flight needs.
    /// </summary>
    public long FilteredRecords { get; private set; }

    /// <summary>Outbound datagrams dropped because the host did not drain <see cref="TryPollTransmit"/>.</summary>
    public long DroppedTransmits { get; private set; }

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
            var dtls = Role == DtlsRole.Server
                ? new WebRtcDtlsServerProtocol(_random, (WebRtcDtlsServer)_tlsPeer, _peerState).Accept((TlsServer)_tlsPeer, _transport)
                : new DtlsClientProtocol(_random).Connect((TlsClient)_tlsPeer, _transport);
            CompleteHandshake(dtls);
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
            if (_state is DtlsEngineState.Closed or DtlsEngineState.Failed)
            {
                DroppedDatagrams++;
                return;
            }

            if (datagram.Length > _options.MaxInboundDatagramSize
                || !DtlsRecordScanner.TryScan(datagram, out var summary, out _, _options.MaxRecordsPerDatagram))
            {
                MalformedDatagrams++;
                return;
            }

            var records = summary.RecordCount;
            if (_state == DtlsEngineState.Connected)
            {
                datagram = FilterConnectedRecords(datagram, out records);
                if (records == 0)
                {
                    return;
                }
            }

            if (!_transport.TryEnqueue(datagram, records))
            {
                DroppedDatagrams++;
                return;
            }

            if (_state == DtlsEngineState.Connected)
            {
                PumpLocked();
            }
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
            else if (_state == DtlsEngineState.Connected)
            {
                // Datagrams that arrived while the worker was finishing are still queued: decrypt them now.
                PumpLocked();
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
            if (_state == DtlsEngineState.Connected && _events.Count == 0)
            {
                PumpLocked();
            }

            return _events.TryDequeue(out dtlsEvent);
        }
    }

    public DtlsSendResult Send(ReadOnlySpan<byte> applicationData)
    {
        lock (_gate)
        {
            if (_state != DtlsEngineState.Connected || _dtls is null)
            {
                return DtlsSendResult.NotConnected;
            }

            if (applicationData.Length > MaxApplicationDataSize)
            {
                return DtlsSendResult.TooLarge;
            }

            // BC wants an array with a valid offset even for an empty record.
            if (_sendBuffer.Length < Math.Max(1, applicationData.Length))
            {
                _sendBuffer = new byte[Math.Max(MaxApplicationDataSize, 1)];
            }

            applicationData.CopyTo(_sendBuffer);
            try
            {
                _dtls.Send(_sendBuffer, 0, applicationData.Length);
                return DtlsSendResult.Sent;
            }
            catch (Exception ex)
            {
                FailLocked(DtlsFailureReason.InternalError, AlertDescription.internal_error, ex.Message);
                return DtlsSendResult.Failed;
            }
        }
    }

    public void Close()
    {
        lock (_gate)
        {
            switch (_state)
            {
                case DtlsEngineState.Connected:
                    try
                    {
                        _dtls?.Close();
                    }
                    catch (Exception)
                    {
                        // Closing is best effort: the peer also notices via ICE consent or SCTP.
                    }

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
            if (_state is DtlsEngineState.New or DtlsEngineState.Handshaking)
            {
                _state = DtlsEngineState.Closed;
            }

            _abort.Cancel();
            _transport.Close();
        }
    }

    private void CompleteHandshake(DtlsTransport dtls)
    {
        lock (_gate)
        {
            if (_state != DtlsEngineState.Handshaking)
            {
                // Timed out or closed while BC was finishing: the session is already reported over.
                return;
            }

            if (_peerState.VerifiedPeerFingerprint is not { } peerFingerprint)
            {
                // Unreachable unless BC skips a peer callback; never report an unauthenticated session as connected.
                FailLocked(DtlsFailureReason.MissingPeerCertificate, AlertDescription.handshake_failure, "Peer certificate was never verified.");
                dtls.Close();
                return;
            }

            _transport.SwitchToNonBlocking();
            _dtls = dtls;
            MaxApplicationDataSize = dtls.GetSendLimit();
            _state = DtlsEngineState.Connected;
            var parameters = ((IWebRtcDtlsPeer)_tlsPeer).Context.SecurityParameters;
            _events.Enqueue(new DtlsHandshakeCompleted(
                peerFingerprint,
                parameters.CipherSuite,
                _peerState.SrtpProtectionProfile,
                parameters.IsExtendedMasterSecret,
                MaxApplicationDataSize));
        }
    }

    /// <summary>Decrypts every record queued since the last pump, one BC receive call per record.</summary>
    private void PumpLocked()
    {
        var dtls = _dtls!;
        var calls = _transport.TakePendingRecords();
        for (var i = 0; i < calls && _state == DtlsEngineState.Connected; i++)
        {
            int received;
            try
            {
                received = dtls.Receive(_receiveBuffer, 0, _receiveBuffer.Length, 1);
            }
            catch (Exception ex)
            {
                if (_peerState.FatalAlertReceived)
                {
                    FailLocked(DtlsFailureReason.PeerAlert, _peerState.LastAlertReceived, ex.Message);
                }
                else
                {
                    var alert = (ex as TlsFatalAlert)?.AlertDescription ?? AlertDescription.internal_error;
                    FailLocked(DtlsFailureReason.LocalAlert, alert, ex.Message);
                }

                return;
            }

            // Empty application_data records are legal padding against traffic analysis; nothing to deliver.
            if (received > 0)
            {
                _events.Enqueue(new DtlsApplicationData(_receiveBuffer.AsSpan(0, received).ToArray()));
            }

            if (_peerState.CloseNotifyReceived || _transport.IsClosed)
            {
                _state = DtlsEngineState.Closed;
                _events.Enqueue(new DtlsClosed(ByPeer: true));
                _transport.DropQueued();
                return;
            }
        }
    }

    /// <summary>
    /// Keeps only records BouncyCastle can use after the handshake. Every record BC discards without an error costs
    /// a full 1 ms receive wait on the event loop (see the type remarks), so records that are certain to be discarded
    /// — wrong version or epoch, replays — are dropped here. A record passed on either authenticates or fails the
    /// session (bad_record_mac), so marking the replay window before BC has seen it cannot be abused.
    /// </summary>
    private ReadOnlySpan<byte> FilterConnectedRecords(ReadOnlySpan<byte> datagram, out int kept)
    {
        const ushort applicationEpoch = 1; // BC 1.8.10 DTLS never renegotiates: epoch 0 = handshake, 1 = the rest.
        const int maxLateHandshakeRecords = 16;
        kept = 0;
        var length = 0;
        var rest = datagram;
        while (!rest.IsEmpty && DtlsRecordHeader.TryParse(rest, out var header, out _))
        {
            var recordLength = DtlsRecordHeader.Size + header.Length;
            var accept = header.Version == DtlsRecordHeader.Dtls12Version
                && (header.Epoch == applicationEpoch
                    ? _replayWindow.TryAccept(header.SequenceNumber)
                    : header.Epoch == 0 && header.ContentType == DtlsContentType.Handshake
                        && ++_lateHandshakeRecords <= maxLateHandshakeRecords);
            if (accept)
            {
                rest[..recordLength].CopyTo(_filterBuffer.AsSpan(length));
                length += recordLength;
                kept++;
            }
            else
            {
                FilteredRecords++;
            }

            rest = rest[recordLength..];
        }

        return _filterBuffer.AsSpan(0, length);
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

    private void OnTransportSend(byte[] buffer, int offset, int length)
    {
        lock (_transmitGate)
        {
            if (_transmitBytes + length > _options.MaxQueuedTransmitBytes)
            {
                DroppedTransmits++;
                return;
            }

            _transmits.Enqueue(buffer.AsSpan(offset, length).ToArray());
            _transmitBytes += length;
        }

        // On the event loop the host drains after its own call anyway; only the worker needs to wake it.
        if (Environment.CurrentManagedThreadId == Volatile.Read(ref _workerThreadId))
        {
            OutputAvailable?.Invoke();
        }
    }
}
