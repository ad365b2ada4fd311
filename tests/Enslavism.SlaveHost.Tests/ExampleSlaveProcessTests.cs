using System.Diagnostics;
using Enslavism.SlaveHost.EchoHost;
using Enslavism.SlaveHost.Tests.Infrastructure;
using Enslavism.Signaling;

namespace Enslavism.SlaveHost.Tests;

/// <summary>The example slave as users run it: a separate <c>dotnet Enslavism.SlaveHost.dll</c> process against a real master.</summary>
public sealed class ExampleSlaveProcessTests
{
    private static readonly TimeSpan ProcessBound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Process_Registers_ThenStopsCleanlyOnSigterm_AndIsUnlisted()
    {
        await using var master = await RealMaster.StartAsync();
        await using var client = await RawClient.ConnectAsync(master.BaseUrl);
        using var process = StartSlave("--master", master.BaseUrl.ToString(), "--name", "x", "--data", """{"map":"ctf"}""");
        try
        {
            var entry = await client.NextAddedSlaveAsync().WaitAsync(ProcessBound);
            Assert.Equal(JsonUserData.Parse("""{"map":"ctf","name":"x"}"""), entry.UserData);

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync().WaitAsync(ProcessBound);
            }

            await process.WaitForExitAsync().WaitAsync(ProcessBound);
            Assert.Equal(EchoHostRunner.ExitOk, process.ExitCode);
            Assert.Contains("Unregistered.", await process.StandardOutput.ReadToEndAsync(), StringComparison.Ordinal);
            Assert.Equal([entry.Id], (await client.ReceiveAsync<RemoveSlaves>()).Ids);
        }
        finally
        {
            KillIfRunning(process);
        }
    }

    [Fact]
    public async Task Process_AuthRefused_PrintsTheMastersReason_AndExitsNonZero()
    {
        await using var master = await RealMaster.StartAsync(o => o.Events.OnSlaveAuthenticating = auth =>
        {
            auth.Reject("bad slave key");
            return ValueTask.CompletedTask;
        });
        using var process = StartSlave("--master", master.BaseUrl.ToString(), "--name", "x");
        try
        {
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(ProcessBound);

            Assert.Equal(EchoHostRunner.ExitAuthRejected, process.ExitCode);
            var text = await errors;
            Assert.Contains("The master refused this slave", text, StringComparison.Ordinal);
            Assert.Contains("bad slave key", text, StringComparison.Ordinal);
        }
        finally
        {
            KillIfRunning(process);
        }
    }

    private static Process StartSlave(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Enslavism.SlaveHost.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
    }

    private static void KillIfRunning(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
    }
}
