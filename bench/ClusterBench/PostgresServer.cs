using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Enslavism.Bench.Cluster;

/// <summary>
/// A throw-away PostgreSQL 15 for one benchmark run: initdb into a fresh temp dir owned by the <c>postgres</c> OS user,
/// listening on 127.0.0.1 only with a free port, unix sockets in the temp dir. Stopped by PID and deleted on dispose.
/// Adapted from the cluster tests' fixture (the bench must not reference a test project).
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private DirectoryInfo? _root;
    private Process? _postmaster;

    public int Port { get; private set; }

    public string AdminConnectionString =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false;Timeout=10";

    public static async Task<PostgresServer> StartNewAsync()
    {
        var server = new PostgresServer();
        try
        {
            server._root = Directory.CreateTempSubdirectory("enslavism-bench-pg-");
            await RunAsync("chown", "postgres:postgres", server._root.FullName);
            await RunAsync("setpriv", [.. AsPostgres, Path.Combine(BinDirectory, "initdb"), "-D", server.DataDirectory,
                "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);
            server.Port = FreePort();
            await server.StartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates a database and one login role per node name, so a node's access can be cut off by role.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await ExecuteAdminAsync($"CREATE DATABASE {name}");
        return $"Host=127.0.0.1;Port={Port};Database={name};Timeout=5";
    }

    public async Task CreateRoleAsync(string role) => await ExecuteAdminAsync($"CREATE ROLE {role} LOGIN SUPERUSER");

    /// <summary>
    /// A host dying as the database sees it: its role may no longer log in (so nothing it still runs can reconnect and
    /// write a goodbye), and every backend it holds is terminated.
    /// </summary>
    public async Task CutOffAsync(string role)
    {
        await ExecuteAdminAsync($"ALTER ROLE {role} NOLOGIN");
        await ExecuteAdminAsync($"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = '{role}'");
    }

    public async Task AllowLoginAsync(string role) => await ExecuteAdminAsync($"ALTER ROLE {role} LOGIN");

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _root?.Delete(recursive: true);
    }

    /// <summary>Fast shutdown: SIGINT to the postmaster, by PID.</summary>
    public async Task StopAsync()
    {
        if (_postmaster is not { } postmaster)
        {
            return;
        }

        _postmaster = null;
        if (!postmaster.HasExited)
        {
            await RunAsync("kill", "-INT", postmaster.Id.ToString(CultureInfo.InvariantCulture));
            using var timeout = new CancellationTokenSource(StartTimeout);
            try
            {
                await postmaster.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                postmaster.Kill(entireProcessTree: true);
            }
        }

        postmaster.Dispose();
    }

    /// <summary>Starts the postmaster on the same port and data; completes when it accepts connections.</summary>
    public async Task StartAsync()
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var start = new ProcessStartInfo("setpriv")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[.. AsPostgres, Path.Combine(BinDirectory, "postgres"), "-D", DataDirectory,
                     "-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture),
                     "-k", _root!.FullName, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                     "-c", "max_connections=300", "-c", "shared_buffers=32MB", "-c", "log_min_messages=warning"])
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("database system is ready to accept connections", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("postgres exited during start"));
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _postmaster = process;
        await ready.Task.WaitAsync(StartTimeout);
    }

    private string DataDirectory => Path.Combine(_root!.FullName, "data");

    private static string[] AsPostgres => ["--reuid=postgres", "--regid=postgres", "--init-groups", "--"];

    private async Task ExecuteAdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {await stderr}{await stdout}");
        }
    }
}
