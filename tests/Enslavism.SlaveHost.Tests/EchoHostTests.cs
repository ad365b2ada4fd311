using Enslavism.SlaveHost.EchoHost;
using Enslavism.SlaveHost.Tests.Infrastructure;
using Enslavism.Signaling;
using Microsoft.Extensions.Logging.Abstractions;

namespace Enslavism.SlaveHost.Tests;

/// <summary>The example host's command line and its run against the real master.</summary>
public sealed class EchoHostTests
{
    [Fact]
    public void Arguments_NameIsMergedIntoTheDataObject()
    {
        Assert.True(EchoHostArguments.TryParse(
            ["--master", "ws://127.0.0.1:8080", "--data", """{"mode":"ctf"}""", "--name", "eu-1", "--auth", "password=a=b"],
            out var parsed,
            out _));

        Assert.Equal(new Uri("ws://127.0.0.1:8080"), parsed!.Master);
        Assert.Equal(JsonUserData.Parse("""{"mode":"ctf","name":"eu-1"}"""), parsed.UserData);
        Assert.Equal("a=b", parsed.AuthData["password"]);
    }

    [Fact]
    public void Arguments_DataWithoutNameIsKeptByteForByte()
    {
        Assert.True(EchoHostArguments.TryParse(["--master", "ws://127.0.0.1:1", "--data", """[1, 2 ]"""], out var parsed, out _));

        Assert.Equal("[1, 2 ]", parsed!.UserData.ToString());
    }

    [Theory]
    [InlineData(new string[0], "--master is required")]
    [InlineData(new[] { "--master" }, "needs a value")]
    [InlineData(new[] { "--master", "not a url" }, "absolute URL")]
    [InlineData(new[] { "--master", "ws://127.0.0.1:1", "--data", "{oops" }, "not valid JSON")]
    [InlineData(new[] { "--master", "ws://127.0.0.1:1", "--data", "[1]", "--name", "x" }, "JSON object")]
    [InlineData(new[] { "--master", "ws://127.0.0.1:1", "--auth", "novalue" }, "KEY=VALUE")]
    [InlineData(new[] { "--master", "ws://127.0.0.1:1", "--bogus", "1" }, "Unknown argument")]
    public void Arguments_Invalid_GiveAClearError(string[] args, string expected)
    {
        Assert.False(EchoHostArguments.TryParse(args, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_AuthRefused_PrintsTheReasonAndExitsNonZero()
    {
        await using var master = await RealMaster.StartAsync(o => o.Events.OnSlaveAuthenticating = auth =>
        {
            auth.Reject("slave key expired");
            return ValueTask.CompletedTask;
        });
        var output = new StringWriter();
        var errors = new StringWriter();

        var exit = await EchoHostRunner.RunAsync(["--master", master.BaseUrl.ToString(), "--name", "eu-1"], output, errors, NullLoggerFactory.Instance, CancellationToken.None)
            .Within("the host to give up");

        Assert.Equal(EchoHostRunner.ExitAuthRejected, exit);
        Assert.Contains("slave key expired", errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_UsageError_ExitsWithUsageCode()
    {
        var errors = new StringWriter();

        var exit = await EchoHostRunner.RunAsync(["--name", "x"], TextWriter.Null, errors, NullLoggerFactory.Instance, CancellationToken.None);

        Assert.Equal(EchoHostRunner.ExitUsage, exit);
        Assert.Contains("usage:", errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_RegistersRejectsOffersAndUnregistersOnStop()
    {
        await using var master = await RealMaster.StartAsync();
        await using var client = await RawClient.ConnectAsync(master.BaseUrl);
        using var stop = new CancellationTokenSource();

        var run = EchoHostRunner.RunAsync(["--master", master.BaseUrl.ToString(), "--name", "eu-1"], TextWriter.Null, TextWriter.Null, NullLoggerFactory.Instance, stop.Token);
        var entry = await client.NextAddedSlaveAsync();
        await client.SendAsync(new OfferToSlave(entry.Id, "v=0 offer"));
        var rejected = await client.ReceiveAsync<RejectFromSlave>();
        await stop.CancelAsync();

        Assert.Equal(JsonUserData.Parse("""{"name":"eu-1"}"""), entry.UserData);
        Assert.Equal(entry.Id, rejected.SlaveId);
        Assert.Equal(EchoHostRunner.ExitOk, await run.Within("the host to stop"));
        Assert.Equal([entry.Id], (await client.ReceiveAsync<RemoveSlaves>()).Ids);
    }
}
