using Enslavism.SlaveHost.Tests.Infrastructure;
using Enslavism.SlaveHost.WebRtcHosting;
using Enslavism.Signaling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Enslavism.SlaveHost.Tests;

/// <summary>The slave in the generic host: <c>AddEnslavismSlave</c> with the WebRTC options.</summary>
public sealed class GenericHostTests
{
    [Fact]
    public async Task AddEnslavismSlave_InvalidWebRtcOptions_FailAtStartup()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddEnslavismSlave(configureWebRtc: o => o.AnnouncedAddresses.Add("not an address"));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("AnnouncedAddresses", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddEnslavismSlave_FactoryCreatesAWorkingSlave_WithTheConfiguredWebRtcOptions()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddEnslavismSlave(configureWebRtc: o =>
        {
            o.BindAddress = "127.0.0.1";
            o.LoopbackOnly = true;
        });
        using var host = builder.Build();
        await host.StartAsync();
        await using var master = await RealMaster.StartAsync();
        await using var client = await RawClient.ConnectAsync(master.BaseUrl);

        await using var slave = host.Services.GetRequiredService<EnslavismSlaveFactory>().Create();
        await slave.ConnectAsync(master.BaseUrl, JsonUserData.Parse("""{"name":"hosted"}"""));

        Assert.Equal(JsonUserData.Parse("""{"name":"hosted"}"""), (await client.NextAddedSlaveAsync()).UserData);
        Assert.Equal(System.Net.IPAddress.Loopback, slave.LocalEndPoint.Address);
        Assert.IsType<WebRtcPeerConnectionFactory>(host.Services.GetRequiredService<PeerConnections.IPeerConnectionFactory>());
        await host.StopAsync();
    }
}
