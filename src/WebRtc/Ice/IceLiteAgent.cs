using System.Net;
using Enslavism.WebRtc.Core;
using Enslavism.WebRtc.Stun;

namespace Enslavism.WebRtc.Ice;

/// <summary>
/// Sans-IO ICE-lite agent for one session (RFC 8445 §2.5, §7.3; consent RFC 7675). A lite agent never sends
/// checks: it answers the browser's Binding requests, learns which remote addresses are valid and follows the
/// browser's nomination. It is always in the controlled role.
/// <para>
/// Run-loop contract: after every <see cref="HandleInput"/> or <see cref="HandleTimeout"/>, drain
/// <see cref="TryPollTransmit"/> (send each datagram) and <see cref="TryPollEvent"/>, then wait for the next
/// datagram or until <see cref="PollTimeout"/> and call <see cref="HandleTimeout"/>. Time is always the caller's
/// monotonic <c>now</c>; the agent never reads a clock. Unlike the other layers' <c>HandleInput(now, data)</c>,
/// this one also takes the datagram's source address, because ICE is about addresses. Not thread-safe: one
/// owner (the session's event loop) drives it.
/// </para>
/// <para>Binding request handling, in order (each failure ends processing of that datagram):</para>
/// <list type="number">
/// <item>Not a well-formed STUN message, not a Binding request (indications, responses, other methods) or a
/// missing/wrong FINGERPRINT: dropped and counted; a FINGERPRINT is required of every ICE check (RFC 8445 §7.1)
/// and a bad one means "not STUN for us".</item>
/// <item>No USERNAME or no MESSAGE-INTEGRITY: 400 Bad Request; USERNAME other than
/// <c>localUfrag:remoteUfrag</c> or MESSAGE-INTEGRITY not verifying with the local password: 401 Unauthenticated
/// (RFC 8489 §9.1.3). Both without MESSAGE-INTEGRITY, rate limited, or dropped when
/// <see cref="IceLiteAgentOptions.SendErrorResponses"/> is false.</item>
/// <item>Unknown comprehension-required attributes: 420 with UNKNOWN-ATTRIBUTES (RFC 8489 §6.3.1.1). Checked
/// after authentication so that unauthenticated senders learn nothing.</item>
/// <item>ICE-CONTROLLED present: the peer also wants to be controlled, and a lite agent cannot switch to
/// controlling, so 487 Role Conflict (RFC 8445 §7.3.1.1).</item>
/// <item>Otherwise: success response to the source address with XOR-MAPPED-ADDRESS = that source,
/// MESSAGE-INTEGRITY (local password) and FINGERPRINT; the source becomes valid; USE-CANDIDATE selects it.</item>
/// </list>
/// </summary>
public sealed class IceLiteAgent
{
    private readonly IceLiteAgentOptions _options;
    private readonly byte[] _localKey;
    private readonly string _expectedUsername;
    private readonly TimeSpan _createdAt;
    private readonly Queue<Transmit> _transmits = new();
    private readonly Queue<IceEvent> _events = new();
    private readonly List<ValidRemote> _validRemotes = [];
    private TimeSpan? _lastConsent;
    private IPEndPoint? _lastValidRemote;
    private TimeSpan _errorWindowStart;
    private int _errorsInWindow;

    public IceLiteAgent(TimeSpan now, IceCredentials localCredentials, string remoteUfrag, string remotePassword,
        IceLiteAgentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(localCredentials);
        if (string.IsNullOrEmpty(remoteUfrag) || remoteUfrag.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException("remote ufrag must be non-empty and contain no colon", nameof(remoteUfrag));
        }

        ArgumentNullException.ThrowIfNull(remotePassword);
        _options = options ?? IceLiteAgentOptions.Default;
        _options.Validate();
        LocalCredentials = localCredentials;
        RemoteUfrag = remoteUfrag;
        RemotePassword = remotePassword;
        _localKey = MessageIntegrity.KeyFromPassword(localCredentials.Password);
        _expectedUsername = localCredentials.Ufrag + ":" + remoteUfrag;
        _createdAt = now;
        _errorWindowStart = now;
    }

    public IceCredentials LocalCredentials { get; }

    public string RemoteUfrag { get; }

    /// <summary>Kept for completeness; a lite agent sends no requests, so it never signs with it.</summary>
    public string RemotePassword { get; }

    public IceLiteState State { get; private set; } = IceLiteState.Checking;

    /// <summary>The latest nominated valid address. Null until the peer sends USE-CANDIDATE.</summary>
    public IPEndPoint? SelectedRemote { get; private set; }

    /// <summary>
    /// Where DTLS/SCTP output should go: <see cref="SelectedRemote"/>, or before nomination the most recently
    /// checked valid address. Needed because Chromium, libwebrtc and libdatachannel start DTLS as soon as their
    /// own check succeeds, before they nominate (seen with the interop peers: ClientHello 0–1 s before
    /// USE-CANDIDATE); werift, aiortc and pion nominate first. Null until the first valid check.
    /// </summary>
    public IPEndPoint? ActiveRemote => SelectedRemote ?? _lastValidRemote;

    public IceLiteAgentStats Stats { get; } = new();

    /// <summary>Parse error of the last malformed datagram (for logs).</summary>
    public StunParseError LastParseError { get; private set; } = StunParseError.None;

    /// <summary>True when <paramref name="remote"/> passed a check; the session drops DTLS from any other address (RFC 8842 §6).</summary>
    public bool IsValidRemote(IPEndPoint remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        return State != IceLiteState.Closed && IndexOfValid(remote) >= 0;
    }

    /// <summary>Handles one STUN datagram received from <paramref name="source"/>; never throws on bad input.</summary>
    public void HandleInput(TimeSpan now, IPEndPoint source, ReadOnlySpan<byte> datagram)
    {
        ArgumentNullException.ThrowIfNull(source);
        Stats.Received++;
        if (State == IceLiteState.Closed)
        {
            Stats.DroppedAfterClose++;
            return;
        }

        if (!StunMessage.TryParse(datagram, _options.StunParser, out var request, out var error))
        {
            Stats.Malformed++;
            LastParseError = error;
            return;
        }

        if (request!.Method != StunMethod.Binding || request.Class != StunMessageClass.Request)
        {
            Stats.Ignored++;
            return;
        }

        if (!Fingerprint.Verify(request))
        {
            Stats.BadFingerprint++;
            return;
        }

        if (request.MessageIntegrityOffset < 0 || !StunUsername.TryRead(request, out var username))
        {
            Stats.BadRequest++;
            SendUnauthenticatedError(now, source, request, StunErrorCode.BadRequest, "Bad Request");
            return;
        }

        if (!string.Equals(username, _expectedUsername, StringComparison.Ordinal)
            || !MessageIntegrity.Verify(request, _localKey))
        {
            Stats.Unauthenticated++;
            SendUnauthenticatedError(now, source, request, StunErrorCode.Unauthenticated, "Unauthenticated");
            return;
        }

        if (request.UnknownComprehensionRequired.Count > 0)
        {
            Stats.UnknownAttributes++;
            var writer = NewResponse(StunMessageClass.ErrorResponse, request);
            StunErrorCode.Write(writer, StunErrorCode.UnknownAttribute, "Unknown Attribute");
            UnknownAttributes.Write(writer, request.UnknownComprehensionRequired);
            SendSigned(source, writer);
            return;
        }

        if (request.HasAttribute(StunAttributeType.IceControlled))
        {
            Stats.RoleConflicts++;
            var writer = NewResponse(StunMessageClass.ErrorResponse, request);
            StunErrorCode.Write(writer, StunErrorCode.RoleConflict, "Role Conflict");
            SendSigned(source, writer);
            return;
        }

        Stats.ValidChecks++;
        var success = NewResponse(StunMessageClass.SuccessResponse, request);
        XorMappedAddress.Write(success, source, request.TransactionId);
        SendSigned(source, success);
        OnValidCheck(now, source, UseCandidate.IsPresent(request));
    }

    /// <summary>Fires the connect or consent timeout when due.</summary>
    public void HandleTimeout(TimeSpan now)
    {
        if (PollTimeout() is not { } deadline || now < deadline)
        {
            return;
        }

        var kind = _lastConsent is null ? IceEventKind.ConnectTimedOut : IceEventKind.ConsentLost;
        Close();
        Enqueue(new IceEvent(kind, null));
    }

    /// <summary>When <see cref="HandleTimeout"/> must next be called; null once closed.</summary>
    public TimeSpan? PollTimeout() => State == IceLiteState.Closed
        ? null
        : _lastConsent is { } last ? last + _options.ConsentTimeout : _createdAt + _options.ConnectTimeout;

    public bool TryPollTransmit(out Transmit transmit) => _transmits.TryDequeue(out transmit);

    public bool TryPollEvent(out IceEvent iceEvent) => _events.TryDequeue(out iceEvent);

    /// <summary>Stops answering checks and forgets valid addresses (e.g. the session ended for another reason).</summary>
    public void Close()
    {
        State = IceLiteState.Closed;
        _validRemotes.Clear();
        _lastValidRemote = null;
        SelectedRemote = null;
        _transmits.Clear();
    }

    private void OnValidCheck(TimeSpan now, IPEndPoint source, bool nominated)
    {
        var index = IndexOfValid(source);
        if (index >= 0)
        {
            _validRemotes[index] = new ValidRemote(_validRemotes[index].Endpoint, now);
        }
        else
        {
            if (_validRemotes.Count >= _options.MaxValidRemotes)
            {
                EvictOldestUnselected();
            }

            _validRemotes.Add(new ValidRemote(source, now));
        }

        State = IceLiteState.Connected;
        _lastValidRemote = source;
        if (nominated && !source.Equals(SelectedRemote))
        {
            SelectedRemote = source;
            Enqueue(new IceEvent(IceEventKind.Selected, source));
        }

        // Consent is per pair (RFC 7675): once a pair is selected only checks on it keep the session alive.
        if (SelectedRemote is null || SelectedRemote.Equals(source))
        {
            _lastConsent = now;
        }
    }

    // A plain loop: IsValidRemote runs for every DTLS datagram, so no delegate allocation here.
    private int IndexOfValid(IPEndPoint remote)
    {
        for (var i = 0; i < _validRemotes.Count; i++)
        {
            if (_validRemotes[i].Endpoint.Equals(remote))
            {
                return i;
            }
        }

        return -1;
    }

    private void EvictOldestUnselected()
    {
        var oldest = -1;
        for (var i = 0; i < _validRemotes.Count; i++)
        {
            if (!_validRemotes[i].Endpoint.Equals(SelectedRemote)
                && (oldest < 0 || _validRemotes[i].LastCheck < _validRemotes[oldest].LastCheck))
            {
                oldest = i;
            }
        }

        if (oldest >= 0)
        {
            _validRemotes.RemoveAt(oldest);
        }
    }

    private static StunMessageWriter NewResponse(StunMessageClass messageClass, StunMessage request) =>
        new(messageClass, StunMethod.Binding, request.TransactionId);

    private void SendSigned(IPEndPoint destination, StunMessageWriter writer)
    {
        writer.AddMessageIntegrity(_localKey);
        writer.AddFingerprint();
        Send(destination, writer);
    }

    private void SendUnauthenticatedError(TimeSpan now, IPEndPoint destination, StunMessage request, int code, string reason)
    {
        if (!_options.SendErrorResponses || !TakeErrorToken(now))
        {
            Stats.ErrorResponsesSuppressed++;
            return;
        }

        var writer = NewResponse(StunMessageClass.ErrorResponse, request);
        StunErrorCode.Write(writer, code, reason);
        writer.AddFingerprint();
        Send(destination, writer);
    }

    private bool TakeErrorToken(TimeSpan now)
    {
        if (now - _errorWindowStart >= TimeSpan.FromSeconds(1) || now < _errorWindowStart)
        {
            _errorWindowStart = now;
            _errorsInWindow = 0;
        }

        if (_errorsInWindow >= _options.MaxErrorResponsesPerSecond)
        {
            return false;
        }

        _errorsInWindow++;
        return true;
    }

    private void Send(IPEndPoint destination, StunMessageWriter writer)
    {
        if (_transmits.Count >= _options.MaxQueuedTransmits)
        {
            Stats.TransmitsDropped++;
            return;
        }

        _transmits.Enqueue(new Transmit(destination, writer.ToArray()));
    }

    private void Enqueue(IceEvent iceEvent)
    {
        if (_events.Count >= _options.MaxQueuedEvents)
        {
            Stats.EventsDropped++;
            return;
        }

        _events.Enqueue(iceEvent);
    }

    private readonly record struct ValidRemote(IPEndPoint Endpoint, TimeSpan LastCheck);
}
