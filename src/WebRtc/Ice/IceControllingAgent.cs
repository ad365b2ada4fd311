using System.Net;
using Enslavism.WebRtc.Core;
using Enslavism.WebRtc.Stun;

namespace Enslavism.WebRtc.Ice;

/// <summary>
/// Sans-IO controlling ICE agent for a .NET offerer talking to an ICE-lite answerer (RFC 8445 §7.2, aggressive
/// nomination as allowed towards lite peers §8.1.1; consent freshness RFC 7675). It sends Binding requests with
/// USERNAME (remote:local), ICE-CONTROLLING, PRIORITY, USE-CANDIDATE, MESSAGE-INTEGRITY (remote password) and
/// FINGERPRINT to every remote candidate, selects the first pair whose authenticated success response comes back
/// from the address it was sent to, then keeps checking that pair for consent.
/// <para>
/// Run-loop contract: identical to <see cref="IceLiteAgent"/>: after every <see cref="HandleInput"/> or
/// <see cref="HandleTimeout"/>, drain <see cref="TryPollTransmit"/> and <see cref="TryPollEvent"/>, then wait for
/// the next datagram or <see cref="PollTimeout"/>. Not thread-safe; never reads a clock; never throws on bad input.
/// </para>
/// </summary>
public sealed class IceControllingAgent
{
    private readonly IceControllingAgentOptions _options;
    private readonly IRandomSource _random;
    private readonly byte[] _remoteKey;
    private readonly string _username;
    private readonly ulong _tieBreaker;
    private readonly uint _priority;
    private readonly List<IPEndPoint> _candidates;
    private readonly TimeSpan _createdAt;
    private readonly Queue<Transmit> _transmits = new();
    private readonly Queue<IceEvent> _events = new();
    private readonly Dictionary<StunTransactionId, IPEndPoint> _pending = [];
    private readonly Queue<StunTransactionId> _pendingOrder = new();
    private TimeSpan _nextCheck;
    private TimeSpan? _lastConsent;

    public IceControllingAgent(TimeSpan now, IceCredentials localCredentials, string remoteUfrag, string remotePassword,
        IReadOnlyList<IPEndPoint> remoteCandidates, IRandomSource random, IceControllingAgentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(localCredentials);
        ArgumentException.ThrowIfNullOrEmpty(remoteUfrag);
        ArgumentException.ThrowIfNullOrEmpty(remotePassword);
        ArgumentNullException.ThrowIfNull(remoteCandidates);
        ArgumentNullException.ThrowIfNull(random);
        _options = options ?? IceControllingAgentOptions.Default;
        _options.Validate();
        _random = random;
        LocalCredentials = localCredentials;
        _remoteKey = MessageIntegrity.KeyFromPassword(remotePassword);
        _username = remoteUfrag + ":" + localCredentials.Ufrag;
        Span<byte> tie = stackalloc byte[8];
        random.Fill(tie);
        _tieBreaker = BitConverter.ToUInt64(tie);
        _priority = IceCandidatePriority.Host();
        _candidates = remoteCandidates.Take(_options.MaxRemoteCandidates).ToList();
        _createdAt = now;
        _nextCheck = now;
    }

    public IceCredentials LocalCredentials { get; }

    public IceLiteState State { get; private set; } = IceLiteState.Checking;

    /// <summary>The answerer's candidates being checked.</summary>
    public IReadOnlyList<IPEndPoint> RemoteCandidates => _candidates;

    /// <summary>The nominated pair's remote address; null until the first authenticated success response.</summary>
    public IPEndPoint? SelectedRemote { get; private set; }

    /// <summary>Same as <see cref="SelectedRemote"/>: with aggressive nomination the first valid pair is the selected one.</summary>
    public IPEndPoint? ActiveRemote => SelectedRemote;

    public IceControllingAgentStats Stats { get; } = new();

    public bool IsValidRemote(IPEndPoint remote) => State == IceLiteState.Connected && remote.Equals(SelectedRemote);

    /// <summary>Handles one STUN datagram from <paramref name="source"/>; never throws on bad input.</summary>
    public void HandleInput(TimeSpan now, IPEndPoint source, ReadOnlySpan<byte> datagram)
    {
        ArgumentNullException.ThrowIfNull(source);
        Stats.Received++;
        if (State == IceLiteState.Closed)
        {
            Stats.Ignored++;
            return;
        }

        if (!StunMessage.TryParse(datagram, _options.StunParser, out var message, out _))
        {
            Stats.Malformed++;
            return;
        }

        if (message!.Method != StunMethod.Binding || message.Class is not (StunMessageClass.SuccessResponse or StunMessageClass.ErrorResponse))
        {
            // A lite answerer never checks us; requests and indications are not for a controlling offerer.
            Stats.Ignored++;
            return;
        }

        if (!_pending.TryGetValue(message.TransactionId, out var sentTo))
        {
            Stats.UnknownTransaction++;
            return;
        }

        // RFC 8445 §7.2.5.2.1: a response from another address than the request's destination is not a valid pair.
        if (!sentTo.Equals(source) || !Fingerprint.Verify(message) || message.MessageIntegrityOffset < 0
            || !MessageIntegrity.Verify(message, _remoteKey))
        {
            Stats.Unauthenticated++;
            return;
        }

        _pending.Remove(message.TransactionId);
        if (message.Class == StunMessageClass.ErrorResponse)
        {
            Stats.ErrorResponses++;
            return;
        }

        Stats.SuccessResponses++;
        _lastConsent = now;
        if (SelectedRemote is null)
        {
            SelectedRemote = source;
            State = IceLiteState.Connected;
            _nextCheck = now + _options.ConsentInterval;
            _events.Enqueue(new IceEvent(IceEventKind.Selected, source));
        }
    }

    /// <summary>Sends due checks and fires connect/consent timeouts.</summary>
    public void HandleTimeout(TimeSpan now)
    {
        if (State == IceLiteState.Closed)
        {
            return;
        }

        if (SelectedRemote is null && now >= _createdAt + _options.ConnectTimeout)
        {
            Close();
            _events.Enqueue(new IceEvent(IceEventKind.ConnectTimedOut, null));
            return;
        }

        if (_lastConsent is { } last && now >= last + _options.ConsentTimeout)
        {
            Close();
            _events.Enqueue(new IceEvent(IceEventKind.ConsentLost, null));
            return;
        }

        if (now < _nextCheck)
        {
            return;
        }

        if (SelectedRemote is { } selected)
        {
            SendCheck(selected);
            _nextCheck = now + _options.ConsentInterval;
        }
        else
        {
            foreach (var candidate in _candidates)
            {
                SendCheck(candidate);
            }

            _nextCheck = now + _options.CheckInterval;
        }
    }

    public TimeSpan? PollTimeout()
    {
        if (State == IceLiteState.Closed)
        {
            return null;
        }

        var limit = _lastConsent is { } last ? last + _options.ConsentTimeout : _createdAt + _options.ConnectTimeout;
        return _nextCheck < limit ? _nextCheck : limit;
    }

    public bool TryPollTransmit(out Transmit transmit) => _transmits.TryDequeue(out transmit);

    public bool TryPollEvent(out IceEvent iceEvent) => _events.TryDequeue(out iceEvent);

    public void Close()
    {
        State = IceLiteState.Closed;
        _transmits.Clear();
        _pending.Clear();
        _pendingOrder.Clear();
    }

    private void SendCheck(IPEndPoint destination)
    {
        if (_transmits.Count >= _options.MaxQueuedTransmits)
        {
            Stats.TransmitsDropped++;
            return;
        }

        var transactionId = StunTransactionId.Create(_random);
        var writer = new StunMessageWriter(StunMessageClass.Request, StunMethod.Binding, transactionId);
        StunUsername.Write(writer, _username);
        IceControlling.Write(writer, _tieBreaker);
        StunPriority.Write(writer, _priority);
        UseCandidate.Write(writer);
        writer.AddMessageIntegrity(_remoteKey);
        writer.AddFingerprint();
        while (_pending.Count >= _options.MaxPendingTransactions && _pendingOrder.TryDequeue(out var oldest))
        {
            _pending.Remove(oldest);
        }

        _pending[transactionId] = destination;
        _pendingOrder.Enqueue(transactionId);
        Stats.ChecksSent++;
        _transmits.Enqueue(new Transmit(destination, writer.ToArray()));
    }
}
