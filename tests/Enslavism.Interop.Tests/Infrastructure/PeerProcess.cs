using System.Collections.Concurrent;
using System.Diagnostics;

namespace Enslavism.Interop.Tests.Infrastructure;

/// <summary>A peer (or build step) started as a child process, with its output kept for the failure message.</summary>
public sealed class PeerProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private PeerProcess(Process process) => _process = process;

    public string Output => string.Join('\n', _output);

    public static PeerProcess Start(string fileName, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        var peer = new PeerProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { peer._output.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { peer._output.Enqueue(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return peer;
    }

    /// <summary>Waits for the exit; kills the process tree and returns null when it outlives <paramref name="timeout"/>.</summary>
    public async Task<int?> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            Kill();
            return null;
        }
    }

    /// <summary>Runs a command to completion, throwing with its output when it fails or times out.</summary>
    public static async Task RunCheckedAsync(string fileName, IEnumerable<string> arguments, string workingDirectory,
        TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var p = Start(fileName, arguments, workingDirectory, environment);
        var code = await p.WaitAsync(timeout).ConfigureAwait(false);
        if (code != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} " +
                (code is null ? $"timed out after {timeout}" : $"exited {code}") + ":\n" + p.Output);
        }
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
