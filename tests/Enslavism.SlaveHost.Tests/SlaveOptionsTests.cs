using Enslavism.SlaveHost.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Enslavism.SlaveHost.Tests;

public sealed class SlaveOptionsTests
{
    [Fact]
    public void Defaults_AreValid()
    {
        Assert.True(new SlaveOptionsValidator().Validate(null, new SlaveOptions()).Succeeded);
    }

    [Fact]
    public void InfiniteKeepAliveTimeout_IsAllowed()
    {
        Assert.True(new SlaveOptionsValidator().Validate(null, new SlaveOptions { KeepAliveTimeout = Timeout.InfiniteTimeSpan }).Succeeded);
    }

    public static TheoryData<string, Action<SlaveOptions>> InvalidOptions => new()
    {
        { nameof(SlaveOptions.ConnectTimeout), o => o.ConnectTimeout = TimeSpan.Zero },
        { nameof(SlaveOptions.KeepAliveInterval), o => o.KeepAliveInterval = TimeSpan.FromSeconds(-1) },
        { nameof(SlaveOptions.KeepAliveTimeout), o => o.KeepAliveTimeout = TimeSpan.Zero },
        { nameof(SlaveOptions.AnswerTimeout), o => o.AnswerTimeout = TimeSpan.FromDays(2) },
        { nameof(SlaveOptions.CloseTimeout), o => o.CloseTimeout = TimeSpan.Zero },
        { nameof(SlaveOptions.MaxOutgoingFrames), o => o.MaxOutgoingFrames = 0 },
        { nameof(SlaveOptions.MaxIncomingFrameBytes), o => o.MaxIncomingFrameBytes = 10 },
        { nameof(SlaveOptions.MaxClients), o => o.MaxClients = 0 },
        { nameof(SlaveOptions.MaxPendingCandidatesPerClient), o => o.MaxPendingCandidatesPerClient = 0 },
        { nameof(SlaveOptions.MaxRejectionReasonBytes), o => o.MaxRejectionReasonBytes = -1 },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Validator_NamesTheBadOption(string name, Action<SlaveOptions> breakIt)
    {
        var options = new SlaveOptions();
        breakIt(options);

        var result = new SlaveOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(name, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddEnslavismSlave_InvalidOptions_FailAtStartup()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<PeerConnections.IPeerConnectionFactory, FakePeerConnectionFactory>();
        builder.Services.AddEnslavismSlave(o => o.MaxClients = 0);
        using var host = builder.Build();

        await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
    }

    [Fact]
    public async Task AddEnslavismSlave_FactoryCreatesConnectionsWithTheConfiguredOptions()
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<PeerConnections.IPeerConnectionFactory, FakePeerConnectionFactory>()
            .AddEnslavismSlave(o => o.ConnectTimeout = TimeSpan.FromMilliseconds(300));
        await using var provider = services.BuildServiceProvider();
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        await using var slave = provider.GetRequiredService<SlaveConnectionFactory>().Create();

        // The configured 300 ms connect timeout (not the 10 s default) applies to a master that never answers.
        var connect = slave.ConnectAsync(new Uri($"ws://127.0.0.1:{port}"), Signaling.JsonUserData.EmptyObject);
        using var silent = await listener.AcceptTcpClientAsync().Within("the TCP connection");
        var error = await Assert.ThrowsAsync<TimeoutException>(() => connect.Within("the connect timeout"));
        Assert.Contains(TimeSpan.FromMilliseconds(300).ToString(), error.Message, StringComparison.Ordinal);
    }
}
