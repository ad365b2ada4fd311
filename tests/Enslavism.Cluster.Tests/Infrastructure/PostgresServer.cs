using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Enslavism.Cluster.Tests.Infrastructure;

/// <summary>
/// One throw-away PostgreSQL 15 for the whole test collection: initdb into a fresh temp dir owned by the
/// <c>postgres</c> OS user, listening on 127.0.0.1 only with a free port and unix sockets in the temp dir. Stopped by
/// PID and deleted on dispose. Tests get their own database each.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private DirectoryInfo? _root;
    private Process? _postmaster;
    private int _databases;

    public int Port { get; private set; }

    public string AdminConnectionString =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false;Timeout=10";

    public async Task InitializeAsync()
    {
        _root = Directory.CreateTempSubdirectory("enslavism-pg-");
        await RunAsync("chown", "postgres:postgres", _root.FullName);
        await RunAsync("setpriv", [.. AsPostgres, Path.Combine(BinDirectory, "initdb"), "-D", DataDirectory, "-U", "postgres",
            "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);
        Port = FreePort();
        await StartAsync();
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        if (_root is not null)
        {
            _root.Delete(recursive: true);
        }
    }

    /// <summary>A new empty database for one test.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"test_{Interlocked.Increment(ref _databases)}";
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name};Timeout=5";
    }

    /// <summary>Fast shutdown (SIGINT to the postmaster), then a fresh start on the same port and data.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    public async Task StopAsync()
    {
        if (_postmaster is not { } postmaster)
        {
            return;
        }

        _postmaster = null;
        if (!postmaster.HasExited)
        {
            await RunAsync("kill", "-INT", postmaster.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
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

    private string DataDirectory => Path.Combine(_root!.FullName, "data");

    private static string[] AsPostgres => ["--reuid=postgres", "--regid=postgres", "--init-groups", "--"];

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
                     "-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "-k", _root!.FullName, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                     "-c", "max_connections=300", "-c", "shared_buffers=32MB", "-c", "log_min_messages=log"])
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

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
