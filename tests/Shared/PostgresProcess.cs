using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Enslavism.Testing;

/// <summary>
/// A throw-away PostgreSQL 15 process: initdb into a fresh temp dir owned by the <c>postgres</c> OS user, listening on
/// 127.0.0.1 only with a free port and unix sockets in the temp dir. Stopped by PID and deleted on dispose.
/// Shared (as a linked source file) by the cluster tests' fixture and the cluster benchmark.
/// </summary>
internal sealed class PostgresProcess : IAsyncDisposable
{
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly DirectoryInfo _root;
    private readonly string _logMinMessages;
    private Process? _postmaster;

    private PostgresProcess(DirectoryInfo root, string logMinMessages)
    {
        _root = root;
        _logMinMessages = logMinMessages;
    }

    public int Port { get; private set; }

    public string AdminConnectionString =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false;Timeout=10";

    /// <summary>Creates the cluster and starts it; completes when it accepts connections.</summary>
    public static async Task<PostgresProcess> StartNewAsync(string tempPrefix, string logMinMessages)
    {
        var server = new PostgresProcess(Directory.CreateTempSubdirectory(tempPrefix), logMinMessages);
        try
        {
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

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _root.Delete(recursive: true);
    }

    public async Task ExecuteAdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
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
                     "-k", _root.FullName, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                     "-c", "max_connections=300", "-c", "shared_buffers=32MB", "-c", $"log_min_messages={_logMinMessages}"])
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

    private string DataDirectory => Path.Combine(_root.FullName, "data");

    private static string[] AsPostgres => ["--reuid=postgres", "--regid=postgres", "--init-groups", "--"];

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
