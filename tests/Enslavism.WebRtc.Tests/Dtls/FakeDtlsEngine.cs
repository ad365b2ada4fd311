using System.Diagnostics.CodeAnalysis;
using Enslavism.WebRtc.Dtls;

namespace Enslavism.WebRtc.Tests.Dtls;

/// <summary>
/// TEST-ONLY stand-in for <see cref="BcDtlsEngine"/>: same <see cref="IDtlsEngine"/> contract, no cryptography, no
/// threads, fully deterministic in virtual time, so SCTP/DCEP/session tests need no BC handshake worker.
/// </summary>
/// <remarks>
/// Wire format (first bytes stay inside RFC 7983's DTLS range 20–63 so demultiplexers route it as DTLS):
/// <c>22 'F' fingerprint[32]</c> hello (client first, server answers; the client resends every
/// <see cref="HelloRetransmitInterval"/> until answered), <c>23 payload</c> application data in plaintext,
/// <c>21 0</c> close. Fingerprints are checked against the expected list like the real engine, so a wrong SDP
/// fingerprint fails with <see cref="DtlsFailureReason.FingerprintMismatch"/> here too.
/// </remarks>
public sealed class FakeDtlsEngine : IDtlsEngine
{
    public static readonly TimeSpan HelloRetransmitInterval = TimeSpan.FromSeconds(1);

    private const byte HelloType = 22;
    private const byte DataType = 23;
    private const byte CloseType = 21;

    private readonly DtlsFingerprint _local;
    private readonly IReadOnlyList<DtlsFingerprint> _expected;
    private readonly DtlsOptions _options;
    private readonly int _maxApplicationDataSize;
    private readonly Queue<byte[]> _transmits = new();
    private readonly Queue<DtlsEvent> _events = new();
    private TimeSpan? _deadline;
    private TimeSpan? _nextHello;

    public FakeDtlsEngine(
        DtlsRole role,
        DtlsFingerprint local,
        IReadOnlyList<DtlsFingerprint> expectedRemote,
        DtlsOptions? options = null,
        int maxApplicationDataSize = 1163)
    {
        Role = role;
        _local = local;
        _expected = expectedRemote;
        _options = options ?? DtlsOptions.Default;
        _maxApplicationDataSize = maxApplicationDataSize;
    }

    public DtlsRole Role { get; }

    public DtlsEngineState State { get; private set; } = DtlsEngineState.New;

    public int MaxApplicationDataSize => State == DtlsEngineState.Connected ? _maxApplicationDataSize : 0;

    public bool RequiresHandshakeWorker => false;

    public Action? OutputAvailable { get; set; }

    /// <summary>Inbound datagrams that were not fake-DTLS or arrived in the wrong state.</summary>
    public int IgnoredDatagrams { get; private set; }

    public void Start(TimeSpan now)
    {
        if (State != DtlsEngineState.New)
        {
            return;
        }

        State = DtlsEngineState.Handshaking;
        _deadline = now + _options.HandshakeTimeout;
        if (Role == DtlsRole.Client)
        {
            SendHello();
            _nextHello = now + HelloRetransmitInterval;
        }
    }

    public void RunHandshake(CancellationToken cancellationToken)
    {
        // Nothing blocks in the fake; the handshake is driven by HandleInput/HandleTimeout.
    }

    public void HandleInput(TimeSpan now, ReadOnlySpan<byte> datagram)
    {
        if (datagram.IsEmpty || State is DtlsEngineState.Closed or DtlsEngineState.Failed or DtlsEngineState.New)
        {
            IgnoredDatagrams++;
            return;
        }

        switch (datagram[0])
        {
            case HelloType when datagram.Length == 2 + DtlsFingerprint.Sha256Length && datagram[1] == (byte)'F':
                OnHello(datagram[2..]);
                break;
            case DataType when State == DtlsEngineState.Connected:
                _events.Enqueue(new DtlsApplicationData(datagram[1..].ToArray()));
                break;
            case CloseType when State == DtlsEngineState.Connected:
                State = DtlsEngineState.Closed;
                _events.Enqueue(new DtlsClosed(ByPeer: true));
                break;
            default:
                IgnoredDatagrams++;
                break;
        }
    }

    public void HandleTimeout(TimeSpan now)
    {
        if (State != DtlsEngineState.Handshaking)
        {
            return;
        }

        if (_deadline is { } deadline && now >= deadline)
        {
            Fail(DtlsFailureReason.HandshakeTimeout, null);
            return;
        }

        if (_nextHello is { } next && now >= next)
        {
            SendHello();
            _nextHello = now + HelloRetransmitInterval;
        }
    }

    public TimeSpan? PollTimeout()
    {
        if (State != DtlsEngineState.Handshaking)
        {
            return null;
        }

        return _nextHello is { } next && next < _deadline ? next : _deadline;
    }

    public bool TryPollTransmit(out ReadOnlyMemory<byte> datagram)
    {
        if (_transmits.TryDequeue(out var bytes))
        {
            datagram = bytes;
            return true;
        }

        datagram = default;
        return false;
    }

    public bool TryPollEvent([NotNullWhen(true)] out DtlsEvent? dtlsEvent) => _events.TryDequeue(out dtlsEvent);

    public DtlsSendResult Send(ReadOnlySpan<byte> applicationData)
    {
        if (State != DtlsEngineState.Connected)
        {
            return DtlsSendResult.NotConnected;
        }

        if (applicationData.Length > _maxApplicationDataSize)
        {
            return DtlsSendResult.TooLarge;
        }

        _transmits.Enqueue([DataType, .. applicationData]);
        return DtlsSendResult.Sent;
    }

    public int RecordOverhead => State == DtlsEngineState.Connected ? 1 : 0;

    public DtlsSendResult SendTo(ReadOnlySpan<byte> applicationData, Span<byte> destination, out int written)
    {
        written = 0;
        if (State != DtlsEngineState.Connected)
        {
            return DtlsSendResult.NotConnected;
        }

        if (applicationData.Length > _maxApplicationDataSize)
        {
            return DtlsSendResult.TooLarge;
        }

        if (destination.Length < applicationData.Length + 1)
        {
            throw new ArgumentException("destination too short", nameof(destination));
        }

        destination[0] = DataType;
        applicationData.CopyTo(destination[1..]);
        written = applicationData.Length + 1;
        return DtlsSendResult.Sent;
    }

    public void Close()
    {
        if (State == DtlsEngineState.Connected)
        {
            _transmits.Enqueue([CloseType, 0]);
        }

        if (State is not (DtlsEngineState.Closed or DtlsEngineState.Failed))
        {
            State = DtlsEngineState.Closed;
            _events.Enqueue(new DtlsClosed(ByPeer: false));
        }
    }

    public void Dispose()
    {
    }

    private void OnHello(ReadOnlySpan<byte> remoteFingerprint)
    {
        if (State == DtlsEngineState.Connected)
        {
            // A retransmitted client hello means our answer was lost: answer again, like a DTLS server's last flight.
            if (Role == DtlsRole.Server)
            {
                SendHello();
            }

            return;
        }

        var actual = DtlsFingerprint.FromSha256(remoteFingerprint);
        if (!_expected.Contains(actual))
        {
            if (Role == DtlsRole.Server)
            {
                _transmits.Enqueue([CloseType, 42]);
            }

            Fail(DtlsFailureReason.FingerprintMismatch, 42);
            return;
        }

        if (Role == DtlsRole.Server)
        {
            SendHello();
        }

        State = DtlsEngineState.Connected;
        _nextHello = null;
        _events.Enqueue(new DtlsHandshakeCompleted(actual, 0xC02B, null, true, _maxApplicationDataSize));
    }

    private void SendHello() => _transmits.Enqueue([HelloType, (byte)'F', .. _local.Hash]);

    private void Fail(DtlsFailureReason reason, byte? alert)
    {
        State = DtlsEngineState.Failed;
        _events.Enqueue(new DtlsFailed(reason, alert, "fake DTLS failure: " + reason));
    }
}
