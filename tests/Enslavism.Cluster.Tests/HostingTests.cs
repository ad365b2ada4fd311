using Enslavism.Cluster.Tests.Infrastructure;
using Enslavism.Grains;
using Enslavism.Gateway;
using Enslavism.Grains.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Enslavism.Cluster.Tests;

[Collection(PostgresCollection.Name)]
public sealed class HostingTests(PostgresServer server) : ClusterTestBase(server)
{
    [Fact]
    public void Validator_RejectsOptionsThatBreakTheLeaseOrQueues()
    {
        var validator = new PostgresClusterOptionsValidator();
        var good = new PostgresClusterOptions { ConnectionString = "Host=127.0.0.1" };
        var bad = new PostgresClusterOptions
        {
            ConnectionString = "",
            LeaseDuration = TimeSpan.FromSeconds(1),
            HeartbeatInterval = TimeSpan.FromSeconds(1),
            RelayOutgoingQueueCapacity = 0,
            MaxRelayFrameBytes = 10,
        };

        Assert.True(validator.Validate(null, good).Succeeded);
        var result = validator.Validate(null, bad);
        Assert.True(result.Failed);
        Assert.Equal(4, result.Failures!.Count());
    }

    [Fact]
    public void InvalidOptions_FailWhenResolved()
    {
        var services = new ServiceCollection();
        services.AddEnslavismPostgresCluster("", o => o.LeaseDuration = TimeSpan.Zero);
        using var provider = services.BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ClusterNode>());
    }

    [Fact]
    public void ClusterFactory_ReplacesAnInMemoryFactoryRegisteredEarlier()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IMasterGrainFactory>(new UnusedFactory());
        services.AddEnslavismPostgresCluster("Host=127.0.0.1");

        Assert.Single(services, d => d.ServiceType == typeof(IMasterGrainFactory));
        Assert.Null(services.Single(d => d.ServiceType == typeof(IMasterGrainFactory)).ImplementationInstance);
    }

    [Fact]
    public async Task HealthCheck_IsHealthyWhenConnected_AndDegradedWhileTheDatabaseIsDown()
    {
        var node = await StartNodeAsync("a");
        var health = node.Services.GetRequiredService<HealthCheckService>();

        var up = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, up.Status);
        Assert.Equal(true, up.Entries[PostgresClusterServiceCollectionExtensions.HealthCheckName].Data["connected"]);

        // Killing the node's sessions is what a database restart looks like from the node; it reconnects by itself.
        node.Clock.Pause();
        await node.KillConnectionsAsync(ConnectionString);
        var down = await WaitForStatusAsync(health, HealthStatus.Degraded);
        Assert.Equal(false, down.Entries[PostgresClusterServiceCollectionExtensions.HealthCheckName].Data["connected"]);

        node.Clock.Resume();
        await WaitForStatusAsync(health, HealthStatus.Healthy);
    }

    [Fact]
    public void ProviderConfiguration_DefaultsToInMemory_AndRejectsBadValues()
    {
        static IServiceCollection Configure(params (string Key, string Value)[] pairs)
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)))
                .Build();
            return new ServiceCollection().AddEnslavismCluster(configuration);
        }

        Assert.DoesNotContain(Configure(), d => d.ServiceType == typeof(ClusterNode));
        Assert.DoesNotContain(Configure(("Enslavism:Cluster:Provider", "InMemory")), d => d.ServiceType == typeof(ClusterNode));
        Assert.Contains(
            Configure(("Enslavism:Cluster:Provider", "Postgres"), ("ConnectionStrings:Enslavism", "Host=127.0.0.1")),
            d => d.ServiceType == typeof(ClusterNode));
        Assert.Throws<InvalidOperationException>(() => Configure(("Enslavism:Cluster:Provider", "Redis")));
        Assert.Throws<InvalidOperationException>(() => Configure(("Enslavism:Cluster:Provider", "Postgres")));
    }

    private static async Task<HealthReport> WaitForStatusAsync(HealthCheckService health, HealthStatus status)
    {
        // Bounded polling of a state the node flips on its own; each probe is a cheap in-memory read.
        using var timeout = new CancellationTokenSource(Timeout);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (true)
        {
            var report = await health.CheckHealthAsync(timeout.Token);
            if (report.Status == status)
            {
                return report;
            }

            await tick.WaitForNextTickAsync(timeout.Token);
        }
    }

    private sealed class UnusedFactory : IMasterGrainFactory
    {
        public ISlaveRegistryGrain GetSlaveRegistry() => throw new NotSupportedException();

        public IIdAllocatorGrain GetIdAllocator(EntityKind kind) => throw new NotSupportedException();

        public ISlaveGrain GetSlave(uint slaveId) => throw new NotSupportedException();

        public IClientSessionGrain GetClientSession(uint clientId) => throw new NotSupportedException();
    }
}
