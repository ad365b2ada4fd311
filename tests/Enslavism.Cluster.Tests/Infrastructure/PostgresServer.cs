using Enslavism.Testing;

namespace Enslavism.Cluster.Tests.Infrastructure;

/// <summary>
/// One throw-away PostgreSQL 15 for the whole test collection (see <see cref="PostgresProcess"/>). Tests get their own
/// database each.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private PostgresProcess? _process;
    private int _databases;

    public int Port => Process.Port;

    public string AdminConnectionString => Process.AdminConnectionString;

    private PostgresProcess Process => _process ?? throw new InvalidOperationException("PostgreSQL is not started.");

    public async Task InitializeAsync() => _process = await PostgresProcess.StartNewAsync("enslavism-pg-", "log");

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }

    /// <summary>A new empty database for one test.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"test_{Interlocked.Increment(ref _databases)}";
        await Process.ExecuteAdminAsync($"CREATE DATABASE {name}");
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name};Timeout=5";
    }

    /// <summary>Fast shutdown (SIGINT to the postmaster), then a fresh start on the same port and data.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    public Task StopAsync() => Process.StopAsync();

    public Task StartAsync() => Process.StartAsync();
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
