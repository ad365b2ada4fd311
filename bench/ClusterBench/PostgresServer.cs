using Enslavism.Testing;

namespace Enslavism.Bench.Cluster;

/// <summary>
/// A throw-away PostgreSQL 15 for one benchmark run (see <see cref="PostgresProcess"/>, shared with the cluster tests'
/// fixture), plus the role management the failover scenarios need.
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    private readonly PostgresProcess _process;

    private PostgresServer(PostgresProcess process) => _process = process;

    public int Port => _process.Port;

    public string AdminConnectionString => _process.AdminConnectionString;

    public static async Task<PostgresServer> StartNewAsync() =>
        new(await PostgresProcess.StartNewAsync("enslavism-bench-pg-", "warning"));

    /// <summary>Creates a database and one login role per node name, so a node's access can be cut off by role.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await _process.ExecuteAdminAsync($"CREATE DATABASE {name}");
        return $"Host=127.0.0.1;Port={Port};Database={name};Timeout=5";
    }

    public async Task CreateRoleAsync(string role) => await _process.ExecuteAdminAsync($"CREATE ROLE {role} LOGIN SUPERUSER");

    /// <summary>
    /// A host dying as the database sees it: its role may no longer log in (so nothing it still runs can reconnect and
    /// write a goodbye), and every backend it holds is terminated.
    /// </summary>
    public async Task CutOffAsync(string role)
    {
        await _process.ExecuteAdminAsync($"ALTER ROLE {role} NOLOGIN");
        await _process.ExecuteAdminAsync($"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = '{role}'");
    }

    public async Task AllowLoginAsync(string role) => await _process.ExecuteAdminAsync($"ALTER ROLE {role} LOGIN");

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    /// <summary>Fast shutdown: SIGINT to the postmaster, by PID.</summary>
    public Task StopAsync() => _process.StopAsync();

    /// <summary>Starts the postmaster on the same port and data; completes when it accepts connections.</summary>
    public Task StartAsync() => _process.StartAsync();
}
