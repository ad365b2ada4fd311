using System.Net;
using Enslavism.WebRtc.Core;
using Enslavism.WebRtc.Ice;
using Enslavism.WebRtc.Stun;

namespace Enslavism.WebRtc.Tests.Ice;

public sealed class IceControllingAgentTests
{
    private static readonly IceCredentials Offerer = new("OfFr", "OffererPassword0123456789");
    private static readonly IceCredentials Answerer = new("AnSw", "AnswererPassword012345678");
    private static readonly IPEndPoint Candidate1 = new(IPAddress.Parse("192.0.2.1"), 5000);
    private static readonly IPEndPoint Candidate2 = new(IPAddress.Parse("2001:db8::1"), 5000);
    private static readonly IPEndPoint Me = new(IPAddress.Parse("198.51.100.2"), 40000);

    private static IceControllingAgent NewAgent(IceControllingAgentOptions? options = null) =>
        new(TimeSpan.FromSeconds(1), Offerer, Answerer.Ufrag, Answerer.Password, [Candidate1, Candidate2], new SeededRandomSource(1), options);

    private static IceLiteAgent NewLite() => new(TimeSpan.FromSeconds(1), Answerer, Offerer.Ufrag, Offerer.Password);

    private static List<Transmit> Drain(IceControllingAgent agent)
    {
        var list = new List<Transmit>();
        while (agent.TryPollTransmit(out var t))
        {
            list.Add(t);
        }

        return list;
    }

    [Fact]
    public void FirstTimeout_SendsAuthenticatedNominatingCheckToEveryCandidate()
    {
        var agent = NewAgent();
        Assert.Equal(TimeSpan.FromSeconds(1), agent.PollTimeout());
        agent.HandleTimeout(TimeSpan.FromSeconds(1));
        var checks = Drain(agent);
        Assert.Equal([Candidate1, Candidate2], checks.Select(c => c.Destination));
        Assert.True(StunMessage.TryParse(checks[0].Payload.Span, out var request, out _));
        Assert.Equal(StunMessageClass.Request, request!.Class);
        Assert.Equal(StunMethod.Binding, request.Method);
        Assert.True(StunUsername.TryRead(request, out var username));
        Assert.Equal("AnSw:OfFr", username);
        Assert.True(IceControlling.TryRead(request, out _));
        Assert.True(StunPriority.TryRead(request, out var priority));
        Assert.Equal(IceCandidatePriority.Host(), priority);
        Assert.True(UseCandidate.IsPresent(request));
        Assert.True(MessageIntegrity.Verify(request, MessageIntegrity.KeyFromPassword(Answerer.Password)));
        Assert.True(Fingerprint.Verify(request));
    }

    [Fact]
    public void LiteAgentAnswer_SelectsPairAndLiteNominatesUs()
    {
        var agent = NewAgent();
        var lite = NewLite();
        agent.HandleTimeout(TimeSpan.FromSeconds(1));
        var check = Drain(agent)[0];
        lite.HandleInput(TimeSpan.FromSeconds(1), Me, check.Payload.Span);
        Assert.True(lite.TryPollTransmit(out var response));
        Assert.Equal(Me, lite.SelectedRemote);
        agent.HandleInput(TimeSpan.FromSeconds(1), Candidate1, response.Payload.Span);
        Assert.Equal(Candidate1, agent.SelectedRemote);
        Assert.Equal(IceLiteState.Connected, agent.State);
        Assert.True(agent.TryPollEvent(out var selected));
        Assert.Equal(new IceEvent(IceEventKind.Selected, Candidate1), selected);
        Assert.True(agent.IsValidRemote(Candidate1));
        Assert.False(agent.IsValidRemote(Candidate2));
        // Consent checks go to the selected pair only, every ConsentInterval.
        agent.HandleTimeout(TimeSpan.FromSeconds(3));
        Assert.Equal([Candidate1], Drain(agent).Select(t => t.Destination));
    }

    [Fact]
    public void ResponseFromOtherAddressOrWithBadIntegrity_IsIgnored()
    {
        var agent = NewAgent();
        var lite = NewLite();
        agent.HandleTimeout(TimeSpan.FromSeconds(1));
        lite.HandleInput(TimeSpan.FromSeconds(1), Me, Drain(agent)[0].Payload.Span);
        Assert.True(lite.TryPollTransmit(out var response));
        agent.HandleInput(TimeSpan.FromSeconds(1), Candidate2, response.Payload.Span);
        Assert.Null(agent.SelectedRemote);
        var tampered = response.Payload.ToArray();
        tampered[^20] ^= 1; // inside the MESSAGE-INTEGRITY value
        agent.HandleInput(TimeSpan.FromSeconds(1), Candidate1, tampered);
        Assert.Null(agent.SelectedRemote);
        Assert.Equal(2, agent.Stats.Unauthenticated);
    }

    [Fact]
    public void NoAnswer_RetransmitsEveryIntervalThenTimesOut()
    {
        var agent = NewAgent();
        var now = TimeSpan.FromSeconds(1);
        var rounds = 0;
        while (agent.PollTimeout() is { } next)
        {
            now = next;
            agent.HandleTimeout(now);
            if (Drain(agent).Count > 0)
            {
                rounds++;
            }
        }

        Assert.Equal(TimeSpan.FromSeconds(16), now);
        Assert.InRange(rounds, 140, 151);
        Assert.True(agent.TryPollEvent(out var e));
        Assert.Equal(IceEventKind.ConnectTimedOut, e.Kind);
    }

    [Fact]
    public void ConsentUnanswered_LostAfterConsentTimeout()
    {
        var agent = NewAgent();
        var lite = NewLite();
        agent.HandleTimeout(TimeSpan.FromSeconds(1));
        lite.HandleInput(TimeSpan.FromSeconds(1), Me, Drain(agent)[0].Payload.Span);
        Assert.True(lite.TryPollTransmit(out var response));
        agent.HandleInput(TimeSpan.FromSeconds(1), Candidate1, response.Payload.Span);
        Assert.True(agent.TryPollEvent(out _));
        var now = TimeSpan.FromSeconds(1);
        while (agent.PollTimeout() is { } next)
        {
            now = next;
            agent.HandleTimeout(now);
            Drain(agent);
        }

        Assert.Equal(TimeSpan.FromSeconds(31), now);
        Assert.True(agent.TryPollEvent(out var e));
        Assert.Equal(IceEventKind.ConsentLost, e.Kind);
    }

    [Fact]
    public void RandomAndMutatedDatagrams_NeverThrow()
    {
        var agent = NewAgent();
        var lite = NewLite();
        agent.HandleTimeout(TimeSpan.FromSeconds(1));
        lite.HandleInput(TimeSpan.FromSeconds(1), Me, Drain(agent)[0].Payload.Span);
        Assert.True(lite.TryPollTransmit(out var response));
        var random = new Random(5);
        for (var i = 0; i < 5000; i++)
        {
            var data = i % 2 == 0 ? response.Payload.ToArray() : new byte[random.Next(0, 200)];
            if (i % 2 == 0)
            {
                data[random.Next(data.Length)] ^= (byte)(1 << random.Next(8));
                data = data[..random.Next(data.Length + 1)];
            }
            else
            {
                random.NextBytes(data);
            }

            agent.HandleInput(TimeSpan.FromSeconds(1), Candidate1, data);
        }

        Assert.Null(agent.SelectedRemote);
    }
}
