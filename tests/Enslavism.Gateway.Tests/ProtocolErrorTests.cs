using System.Net.WebSockets;
using Enslavism.Gateway.Tests.Infrastructure;
using Enslavism.Signaling;
using static Enslavism.Gateway.Tests.Infrastructure.TestMessages;

namespace Enslavism.Gateway.Tests;

public sealed class ProtocolErrorTests
{
    public static TheoryData<byte[], string> MalformedClientFrames => new()
    {
        { [200], nameof(SignalingErrorKind.UnknownType) },
        { [3, 0, 0], nameof(SignalingErrorKind.Truncated) },
        { [3, 0, 0, 0, 1, 0xff, 0xfe], nameof(SignalingErrorKind.InvalidUtf8) },
        { [7, 0, 0, 0, 1, 9, (byte)'a'], nameof(SignalingErrorKind.LengthOutOfRange) },
    };

    [Theory]
    [MemberData(nameof(MalformedClientFrames))]
    public async Task MalformedFrame_ClosesTheSenderWith1002NamingTheError_OthersKeepWorking(byte[] frame, string errorKind)
    {
        await using var host = await MasterTestHost.StartAsync();
        await using var bad = await host.ConnectClientAsync();
        await using var good = await host.ConnectClientAsync();
        await bad.ReceiveAsync<AddSlaves>();
        await good.ReceiveAsync<AddSlaves>();

        await bad.SendRawAsync(frame);
        var (status, reason) = await bad.ReceiveCloseAsync();

        Assert.Equal(WebSocketCloseStatus.ProtocolError, status);
        Assert.StartsWith(errorKind, reason, StringComparison.Ordinal);
        await AssertStillServedAsync(host, good);
    }

    [Fact]
    public async Task MalformedRegister_ClosesTheSlaveWithInvalidJson()
    {
        await using var host = await MasterTestHost.StartAsync();
        await using var slave = await host.ConnectSlaveAsync();

        await slave.SendRawAsync([0, .. "{not json"u8]);
        var (status, reason) = await slave.ReceiveCloseAsync();

        Assert.Equal(WebSocketCloseStatus.ProtocolError, status);
        Assert.StartsWith(nameof(SignalingErrorKind.InvalidJson), reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TextFrame_ClosesTheSenderWith1003()
    {
        await using var host = await MasterTestHost.StartAsync();
        await using var slave = await host.ConnectSlaveAsync();

        await slave.SendRawAsync("hello"u8.ToArray(), WebSocketMessageType.Text);
        var (status, reason) = await slave.ReceiveCloseAsync();

        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, status);
        Assert.StartsWith("TextFrame", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OversizedFrame_ClosesTheSenderWith1009_OthersKeepWorking()
    {
        await using var host = await MasterTestHost.StartAsync(o => o.MaxFrameBytes = 70_000);
        await using var good = await host.ConnectClientAsync();
        await good.ReceiveAsync<AddSlaves>();
        await using var bad = await host.ConnectClientAsync();
        await bad.ReceiveAsync<AddSlaves>();

        var frame = new byte[70_001];
        frame[0] = (byte)SignalingMessageType.OfferToSlave;
        await bad.SendRawAsync(frame);
        var (status, reason) = await bad.ReceiveCloseAsync();

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, status);
        Assert.StartsWith(nameof(SignalingErrorKind.TooLarge), reason, StringComparison.Ordinal);
        await AssertStillServedAsync(host, good);
    }

    [Fact]
    public async Task UserDataOverTheLimit_ClosesTheSlaveWith1009_AndItIsNeverListed()
    {
        await using var host = await MasterTestHost.StartAsync(o => o.MaxUserDataBytes = 100);
        await using var client = await host.ConnectClientAsync();
        await client.ReceiveAsync<AddSlaves>();
        await using var slave = await host.ConnectSlaveAsync();

        await slave.SendAsync(new Register(Json($"\"{new string('x', 100)}\"")));
        var (status, reason) = await slave.ReceiveCloseAsync();

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, status);
        Assert.StartsWith(nameof(SignalingErrorKind.TooLarge), reason, StringComparison.Ordinal);
        await AssertStillServedAsync(host, client);
    }

    [Fact]
    public async Task SlaveSendingAClientMessage_IsAProtocolError()
    {
        await using var host = await MasterTestHost.StartAsync();
        await using var slave = await host.ConnectSlaveAsync();

        await slave.SendAsync(new OfferToSlave(0, "sdp"));
        var (status, reason) = await slave.ReceiveCloseAsync();

        Assert.Equal(WebSocketCloseStatus.ProtocolError, status);
        Assert.StartsWith("UnexpectedType", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SignalingMessageType.Register)]
    [InlineData(SignalingMessageType.AnswerToClient)]
    [InlineData(SignalingMessageType.AddSlaves)]
    public async Task ClientSendingASlaveOrMasterMessage_IsAProtocolError(SignalingMessageType type)
    {
        await using var host = await MasterTestHost.StartAsync();
        await using var client = await host.ConnectClientAsync();
        await client.ReceiveAsync<AddSlaves>();
        SignalingMessage message = type switch
        {
            SignalingMessageType.Register => new Register(Json("{}")),
            SignalingMessageType.AnswerToClient => new AnswerToClient(0, "sdp"),
            _ => new AddSlaves([]),
        };

        await client.SendAsync(message);
        var (status, reason) = await client.ReceiveCloseAsync();

        Assert.Equal(WebSocketCloseStatus.ProtocolError, status);
        Assert.StartsWith("UnexpectedType", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisteredSlaveBreakingTheProtocol_LeavesTheList()
    {
        await using var host = await MasterTestHost.StartAsync();
        await using var client = await host.ConnectClientAsync();
        await client.ReceiveAsync<AddSlaves>();
        await using var slave = await host.ConnectSlaveAsync();
        var id = await RegisterAndLearnIdAsync(slave, client, "{}");

        await slave.SendRawAsync([255]);
        await slave.ReceiveCloseAsync();

        Assert.Equal([id], (await client.ReceiveAsync<RemoveSlaves>()).Ids);
    }

    /// <summary>Proves the master still lists and relays for <paramref name="client"/> after another peer failed.</summary>
    private static async Task AssertStillServedAsync(MasterTestHost host, TestPeer client)
    {
        await using var slave = await host.ConnectSlaveAsync();
        var slaveId = await RegisterAndLearnIdAsync(slave, client, "{\"alive\":true}");
        await client.SendAsync(new OfferToSlave(slaveId, "still here"));
        Assert.Equal("still here", (await slave.ReceiveAsync<OfferFromClient>()).Sdp);
    }
}
