using System.Net;
using Enslavism.WebRtc.Core;
using Enslavism.WebRtc.Ice;
using Enslavism.WebRtc.Stun;

namespace Enslavism.WebRtc.Tests.Ice;

public class IceLiteAgentTests
{
    private static readonly IceCredentials Local = new("LoCa", "LocalPassword0123456789");
    private const string RemoteUfrag = "ReMo";
    private const string RemotePwd = "RemotePassword01234567";
    private static readonly string GoodUsername = $"{Local.Ufrag}:{RemoteUfrag}";
    private static readonly IPEndPoint Browser = new(IPAddress.Parse("192.0.2.10"), 50000);
    private static readonly IPEndPoint Browser2 = new(IPAddress.Parse("198.51.100.7"), 50001);
    private static readonly IPEndPoint BrowserV6 = new(IPAddress.Parse("2001:db8::5"), 50002);

    private static IceLiteAgent NewAgent(IceLiteAgentOptions? options = null) =>
        new(TimeSpan.FromSeconds(100), Local, RemoteUfrag, RemotePwd, options);

    private static TimeSpan At(double seconds) => TimeSpan.FromSeconds(100 + seconds);

    private static byte[] Good(bool useCandidate = false) => BrowserCheck.Build(GoodUsername, Local.Password, useCandidate);

    private static (Transmit Transmit, StunMessage Response) SingleResponse(IceLiteAgent agent)
    {
        Assert.True(agent.TryPollTransmit(out var transmit));
        Assert.False(agent.TryPollTransmit(out _));
        Assert.True(StunMessage.TryParse(transmit.Payload.Span, out var response, out _));
        return (transmit, response!);
    }

    private static List<IceEvent> Events(IceLiteAgent agent)
    {
        var events = new List<IceEvent>();
        while (agent.TryPollEvent(out var e))
        {
            events.Add(e);
        }

        return events;
    }

    private static int ErrorCodeOf(StunMessage response)
    {
        Assert.Equal(StunMessageClass.ErrorResponse, response.Class);
        Assert.True(StunErrorCode.TryRead(response, out var error));
        return error.Code;
    }

    [Theory]
    [InlineData("192.0.2.10", 50000)]
    [InlineData("2001:db8::5", 50002)]
    public void ValidCheck_SuccessToSourceWithXorMappedMiAndFingerprint(string address, int port)
    {
        var source = new IPEndPoint(IPAddress.Parse(address), port);
        var agent = NewAgent();
        var request = Good();
        agent.HandleInput(At(1), source, request);

        var (transmit, response) = SingleResponse(agent);
        Assert.Equal(source, transmit.Destination);
        Assert.Equal(StunMessageClass.SuccessResponse, response.Class);
        Assert.Equal(StunMethod.Binding, response.Method);
        Assert.True(StunMessage.TryParse(request, out var parsedRequest, out _));
        Assert.Equal(parsedRequest!.TransactionId, response.TransactionId);
        Assert.True(XorMappedAddress.TryRead(response, out var mapped));
        Assert.Equal(source, mapped);
        Assert.True(MessageIntegrity.Verify(response, MessageIntegrity.KeyFromPassword(Local.Password)));
        Assert.True(Fingerprint.Verify(response));
        Assert.Equal(IceLiteState.Connected, agent.State);
        Assert.True(agent.IsValidRemote(source));
        Assert.Equal(1, agent.Stats.ValidChecks);
    }

    [Fact]
    public void ValidCheckWithoutUseCandidate_ValidButNotSelected()
    {
        var agent = NewAgent();
        agent.HandleInput(At(1), Browser, Good());
        Assert.True(agent.IsValidRemote(Browser));
        Assert.False(agent.IsValidRemote(Browser2));
        Assert.Null(agent.SelectedRemote);
        Assert.Empty(Events(agent));
    }

    [Fact]
    public void UseCandidate_SelectsPairOnce()
    {
        var agent = NewAgent();
        agent.HandleInput(At(1), Browser, Good());
        agent.HandleInput(At(1.1), Browser, Good(useCandidate: true));
        agent.HandleInput(At(3), Browser, Good(useCandidate: true));
        Assert.Equal(Browser, agent.SelectedRemote);
        Assert.Equal([new IceEvent(IceEventKind.Selected, Browser)], Events(agent));
    }

    [Fact]
    public void ActiveRemote_BeforeNominationIsLastValidSource_ThenSelected()
    {
        var agent = NewAgent();
        Assert.Null(agent.ActiveRemote);
        agent.HandleInput(At(1), Browser, BrowserCheck.Build(GoodUsername, "WrongPassword0123456789"));
        Assert.Null(agent.ActiveRemote);
        agent.HandleInput(At(1), Browser, Good());
        Assert.Equal(Browser, agent.ActiveRemote);
        agent.HandleInput(At(2), Browser2, Good());
        Assert.Equal(Browser2, agent.ActiveRemote);
        agent.HandleInput(At(3), Browser, Good(useCandidate: true));
        agent.HandleInput(At(4), Browser2, Good());
        Assert.Equal(Browser, agent.ActiveRemote);
        agent.Close();
        Assert.Null(agent.ActiveRemote);
    }

    [Fact]
    public void LaterNomination_SwitchesSelection()
    {
        var agent = NewAgent();
        agent.HandleInput(At(1), Browser, Good(useCandidate: true));
        agent.HandleInput(At(2), BrowserV6, Good(useCandidate: true));
        Assert.Equal(BrowserV6, agent.SelectedRemote);
        Assert.Equal(
            [new IceEvent(IceEventKind.Selected, Browser), new IceEvent(IceEventKind.Selected, BrowserV6)],
            Events(agent));
        Assert.True(agent.IsValidRemote(Browser));
    }

    [Fact]
    public void WrongPassword_401WithoutIntegrity_NotValid()
    {
        var agent = NewAgent();
        agent.HandleInput(At(1), Browser, BrowserCheck.Build(GoodUsername, "WrongPassword0123456789", useCandidate: true));
        var (transmit, response) = SingleResponse(agent);
        Assert.Equal(Browser, transmit.Destination);
        Assert.Equal(StunErrorCode.Unauthenticated, ErrorCodeOf(response));
        Assert.Equal(-1, response.MessageIntegrityOffset);
        Assert.True(Fingerprint.Verify(response));
        Assert.False(agent.IsValidRemote(Browser));
        Assert.Null(agent.SelectedRemote);
        Assert.Equal(IceLiteState.Checking, agent.State);
        Assert.Equal(1, agent.Stats.Unauthenticated);
    }

    [Theory]
    [InlineData("LoCa:Other")]
    [InlineData("Other:ReMo")]
    [InlineData("LoCa")]
    [InlineData("ReMo:LoCa")]
    public void WrongUsername_401(string username)
    {
        var agent = NewAgent();
        agent.HandleInput(At(1), Browser, BrowserCheck.Build(username, Local.Password));
        Assert.Equal(StunErrorCode.Unauthenticated, ErrorCodeOf(SingleResponse(agent).Response));
        Assert.False(agent.IsValidRemote(Browser));
    }

    [Fact]
    public void MissingIntegrity_400()
    {
        var agent = NewAgent();
        agent.HandleInput(At(1), Browser, BrowserCheck.Build(GoodUsername, Local.Password, integrity: false));
        Assert.Equal(StunErrorCode.BadRequest, ErrorCodeOf(SingleResponse(agent).Response));
        Assert.Equal(1, agent.Stats.BadRequest);
    }

    [Fact]
    public void MissingFingerprint_DroppedSilently()
    {
        var agent = NewAgent();
        agent.HandleInput(At(1), Browser, BrowserCheck.Build(GoodUsername, Local.Password, fingerprint: false));
        Assert.False(agent.TryPollTransmit(out _));
        Assert.False(agent.IsValidRemote(Browser));
        Assert.Equal(1, agent.Stats.BadFingerprint);
    }

    [Fact]
    public void PeerClaimsControlled_487RoleConflictSigned()
    {
        var agent = NewAgent();
        agent.HandleInput(At(1), Browser, BrowserCheck.Build(GoodUsername, Local.Password, useCandidate: true, controlling: false));
        var response = SingleResponse(agent).Response;
        Assert.Equal(StunErrorCode.RoleConflict, ErrorCodeOf(response));
        Assert.True(MessageIntegrity.Verify(response, MessageIntegrity.KeyFromPassword(Local.Password)));
        Assert.False(agent.IsValidRemote(Browser));
        Assert.Null(agent.SelectedRemote);
    }

    [Fact]
    public void UnknownComprehensionRequiredAttribute_420ListsIt()
    {
        var agent = NewAgent();
        agent.HandleInput(At(1), Browser, BrowserCheck.Build(GoodUsername, Local.Password,
            extra: w => w.AddAttribute(0x0042, [1, 2, 3, 4])));
        var response = SingleResponse(agent).Response;
        Assert.Equal(StunErrorCode.UnknownAttribute, ErrorCodeOf(response));
        Assert.True(UnknownAttributes.TryRead(response, out var types));
        Assert.Equal(new ushort[] { 0x0042 }, types);
        Assert.True(MessageIntegrity.Verify(response, MessageIntegrity.KeyFromPassword(Local.Password)));
        Assert.False(agent.IsValidRemote(Browser));
    }

    [Fact]
    public void UnknownAttributeFromUnauthenticatedSender_401Not420()
    {
        var agent = NewAgent();
        agent.HandleInput(At(1), Browser, BrowserCheck.Build(GoodUsername, "WrongPassword0123456789",
            extra: w => w.AddAttribute(0x0042, [1, 2, 3, 4])));
        Assert.Equal(StunErrorCode.Unauthenticated, ErrorCodeOf(SingleResponse(agent).Response));
    }

    [Fact]
    public void UnauthenticatedErrors_RateLimitedPerSecond()
    {
        var agent = NewAgent(new IceLiteAgentOptions { MaxErrorResponsesPerSecond = 3 });
        var bad = BrowserCheck.Build(GoodUsername, "WrongPassword0123456789");
        for (var i = 0; i < 10; i++)
        {
            agent.HandleInput(At(1 + (i * 0.01)), Browser, bad);
        }

        var count = 0;
        while (agent.TryPollTransmit(out _))
        {
            count++;
        }

        Assert.Equal(3, count);
        Assert.Equal(7, agent.Stats.ErrorResponsesSuppressed);
        agent.HandleInput(At(2.5), Browser, bad);
        Assert.True(agent.TryPollTransmit(out _));
    }

    [Fact]
    public void SendErrorResponsesDisabled_NoErrorTransmits()
    {
        var agent = NewAgent(new IceLiteAgentOptions { SendErrorResponses = false });
        agent.HandleInput(At(1), Browser, BrowserCheck.Build(GoodUsername, "WrongPassword0123456789"));
        agent.HandleInput(At(1), Browser, BrowserCheck.Build(GoodUsername, Local.Password, integrity: false));
        Assert.False(agent.TryPollTransmit(out _));
    }

    [Fact]
    public void ResponsesAndIndications_Ignored()
    {
        var agent = NewAgent();
        var indication = new StunMessageWriter(StunMessageClass.Indication, StunMethod.Binding, new StunTransactionId(1, 2));
        indication.AddFingerprint();
        agent.HandleInput(At(1), Browser, indication.ToArray());
        agent.HandleInput(At(1), Browser, Rfc5769ResponseLike());
        Assert.False(agent.TryPollTransmit(out _));
        Assert.Equal(2, agent.Stats.Ignored);
        Assert.False(agent.IsValidRemote(Browser));
    }

    [Fact]
    public void MalformedInput_CountedNotThrown()
    {
        var agent = NewAgent();
        agent.HandleInput(At(1), Browser, [0, 1, 0]);
        Assert.Equal(1, agent.Stats.Malformed);
        Assert.Equal(StunParseErrorReason.TooShort, agent.LastParseError.Reason);
        Assert.False(agent.TryPollTransmit(out _));
    }

    [Fact]
    public void ConnectTimeout_NoValidCheck_ClosesAtDeadline()
    {
        var agent = NewAgent();
        Assert.Equal(At(15), agent.PollTimeout());
        agent.HandleInput(At(1), Browser, BrowserCheck.Build(GoodUsername, "WrongPassword0123456789"));
        agent.HandleTimeout(At(14.999));
        Assert.Empty(Events(agent));
        Assert.Equal(IceLiteState.Checking, agent.State);
        agent.HandleTimeout(At(15));
        Assert.Equal([new IceEvent(IceEventKind.ConnectTimedOut, null)], Events(agent));
        Assert.Equal(IceLiteState.Closed, agent.State);
        Assert.Null(agent.PollTimeout());
    }

    [Fact]
    public void ConsentLost_AfterChecksStop()
    {
        var agent = NewAgent();
        agent.HandleInput(At(1), Browser, Good(useCandidate: true));
        for (var t = 3; t <= 21; t += 2)
        {
            agent.HandleInput(At(t), Browser, Good());
            agent.HandleTimeout(At(t));
        }

        Events(agent);
        Assert.Equal(At(51), agent.PollTimeout());
        agent.HandleTimeout(At(50.9));
        Assert.Empty(Events(agent));
        agent.HandleTimeout(At(51));
        Assert.Equal([new IceEvent(IceEventKind.ConsentLost, null)], Events(agent));
        Assert.Equal(IceLiteState.Closed, agent.State);
        Assert.False(agent.IsValidRemote(Browser));
    }

    [Fact]
    public void Consent_ChecksOnOtherPairDoNotRefreshSelectedPair()
    {
        var agent = NewAgent();
        agent.HandleInput(At(1), Browser, Good(useCandidate: true));
        agent.HandleInput(At(10), Browser2, Good());
        Assert.Equal(At(31), agent.PollTimeout());
        agent.HandleInput(At(20), Browser, Good());
        Assert.Equal(At(50), agent.PollTimeout());
    }

    [Fact]
    public void ConsentTimeoutOption_IsHonoured()
    {
        var agent = NewAgent(new IceLiteAgentOptions { ConsentTimeout = TimeSpan.FromSeconds(5), ConnectTimeout = TimeSpan.FromSeconds(2) });
        Assert.Equal(At(2), agent.PollTimeout());
        agent.HandleInput(At(1), Browser, Good(useCandidate: true));
        Assert.Equal(At(6), agent.PollTimeout());
    }

    [Fact]
    public void ClosedAgent_DropsEverything()
    {
        var agent = NewAgent();
        agent.HandleInput(At(1), Browser, Good(useCandidate: true));
        agent.Close();
        agent.HandleInput(At(2), Browser, Good(useCandidate: true));
        Assert.False(agent.TryPollTransmit(out _));
        Assert.False(agent.IsValidRemote(Browser));
        Assert.Equal(1, agent.Stats.DroppedAfterClose);
        Assert.Null(agent.PollTimeout());
    }

    [Fact]
    public void TransmitQueueLimit_DropsAndCounts()
    {
        var agent = NewAgent(new IceLiteAgentOptions { MaxQueuedTransmits = 2 });
        for (var i = 0; i < 3; i++)
        {
            agent.HandleInput(At(1), Browser, Good());
        }

        Assert.True(agent.TryPollTransmit(out _));
        Assert.True(agent.TryPollTransmit(out _));
        Assert.False(agent.TryPollTransmit(out _));
        Assert.Equal(1, agent.Stats.TransmitsDropped);
    }

    [Fact]
    public void ValidRemoteLimit_EvictsOldestUnselected()
    {
        var agent = NewAgent(new IceLiteAgentOptions { MaxValidRemotes = 2 });
        var a = new IPEndPoint(IPAddress.Parse("10.0.0.1"), 1);
        var b = new IPEndPoint(IPAddress.Parse("10.0.0.2"), 2);
        var c = new IPEndPoint(IPAddress.Parse("10.0.0.3"), 3);
        agent.HandleInput(At(1), a, Good(useCandidate: true));
        agent.HandleInput(At(2), b, Good());
        agent.HandleInput(At(3), c, Good());
        Assert.True(agent.IsValidRemote(a)); // selected, never evicted
        Assert.False(agent.IsValidRemote(b));
        Assert.True(agent.IsValidRemote(c));
    }

    [Fact]
    public void RandomDatagrams_NeverThrowNorValidate()
    {
        var agent = NewAgent();
        var random = new Random(5);
        for (var i = 0; i < 5000; i++)
        {
            var data = new byte[random.Next(0, 200)];
            random.NextBytes(data);
            agent.HandleInput(At(1), Browser, data);
        }

        Assert.False(agent.IsValidRemote(Browser));
        Assert.Equal(5000, agent.Stats.Received);
    }

    [Fact]
    public void Options_InvalidValues_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NewAgent(new IceLiteAgentOptions { ConsentTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => NewAgent(new IceLiteAgentOptions { ConnectTimeout = TimeSpan.FromSeconds(-1) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => NewAgent(new IceLiteAgentOptions { MaxValidRemotes = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => NewAgent(new IceLiteAgentOptions { MaxQueuedTransmits = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => NewAgent(new IceLiteAgentOptions { MaxErrorResponsesPerSecond = -1 }));
        Assert.Throws<ArgumentException>(() => new IceLiteAgent(TimeSpan.Zero, Local, "a:b", RemotePwd));
    }

    [Fact]
    public void EndToEnd_ChromeLikeSequence_SelectsAndKeepsConsent()
    {
        // Chrome 156: first check without USE-CANDIDATE, nomination on the 2nd, then one check every ~2 s.
        var agent = NewAgent();
        var routedUfrag = string.Empty;
        var first = Good();
        Assert.True(StunUsername.TryGetLocalUfrag(first, out routedUfrag));
        Assert.Equal(Local.Ufrag, routedUfrag);
        agent.HandleInput(At(0.05), BrowserV6, first);
        agent.HandleInput(At(0.06), BrowserV6, Good(useCandidate: true));
        for (var t = 2.0; t < 60; t += 2.1)
        {
            agent.HandleInput(At(t), BrowserV6, Good(useCandidate: true));
            agent.HandleTimeout(At(t));
        }

        Assert.Equal([new IceEvent(IceEventKind.Selected, BrowserV6)], Events(agent));
        Assert.Equal(IceLiteState.Connected, agent.State);
        Assert.Equal(agent.Stats.Received, agent.Stats.ValidChecks);
    }

    private static byte[] Rfc5769ResponseLike()
    {
        var writer = new StunMessageWriter(StunMessageClass.SuccessResponse, StunMethod.Binding, new StunTransactionId(3, 4));
        XorMappedAddress.Write(writer, Browser, new StunTransactionId(3, 4));
        writer.AddFingerprint();
        return writer.ToArray();
    }
}
