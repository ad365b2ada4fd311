using Enslavism.SlaveHost.WebRtcHosting;
using Enslavism.WebRtc.Host;
using Microsoft.Extensions.Logging;

namespace Enslavism.SlaveHost.EchoHost;

/// <summary>
/// The example slave: registers with the master and echoes every message on every data channel back on the same
/// channel, text as text and binary as binary, until cancelled.
/// </summary>
public static partial class EchoHostRunner
{
    public const int ExitOk = 0;
    public const int ExitUsage = 2;
    public const int ExitAuthRejected = 3;
    public const int ExitConnectFailed = 4;
    public const int ExitDisconnected = 5;

    public static async Task<int> RunAsync(
        IReadOnlyList<string> args,
        TextWriter output,
        TextWriter errors,
        ILoggerFactory loggerFactory,
        CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        if (!EchoHostArguments.TryParse(args, out var parsed, out var error))
        {
            await errors.WriteLineAsync(error);
            return ExitUsage;
        }

        var webRtc = new SlaveWebRtcOptions { Port = parsed!.UdpPort };
        foreach (var address in parsed.Announced)
        {
            webRtc.AnnouncedAddresses.Add(address);
        }

        var logger = loggerFactory.CreateLogger(typeof(EchoHostRunner));
        await using var slave = new EnslavismSlave(new SlaveOptions(), webRtc, loggerFactory);
        slave.ClientConnected += (_, e) => AttachEcho(e.Client, logger);
        try
        {
            await slave.ConnectAsync(parsed.Master, parsed.UserData, parsed.AuthData, stop);
        }
        catch (SlaveAuthRejectedException e)
        {
            await errors.WriteLineAsync($"The master refused this slave ({(int)e.StatusCode!.Value}): {(e.Reason.Length == 0 ? "no reason given" : e.Reason)}");
            return ExitAuthRejected;
        }
        catch (Exception e) when (e is SlaveConnectException or TimeoutException)
        {
            await errors.WriteLineAsync($"Could not connect to the master: {e.Message}");
            return ExitConnectFailed;
        }
        catch (OperationCanceledException)
        {
            return ExitOk;
        }

        await output.WriteLineAsync($"Registered with {parsed.Master} as {parsed.UserData}; WebRTC on UDP port {slave.LocalEndPoint.Port}. Press Ctrl-C to stop.");
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = stop.Register(() => stopped.TrySetResult());
        if (await Task.WhenAny(slave.Completion, stopped.Task) == slave.Completion)
        {
            await errors.WriteLineAsync($"Disconnected from the master: {slave.Completion.Result}");
            return ExitDisconnected;
        }

        await slave.DisposeAsync();
        await output.WriteLineAsync("Unregistered.");
        return ExitOk;
    }

    /// <summary>Echoes every message of every channel the client opens; used by the example host and the Gateway's demo slave.</summary>
    public static void AttachEcho(ClientConnection client, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        Log.ClientConnected(logger, client.ClientId);
        client.DataChannel += (_, e) => e.Channel.Message += (channel, message) => Echo(channel, message, logger);
        client.Closed += (_, e) => Log.ClientClosed(logger, client.ClientId, e.ToString());
    }

    private static void Echo(WebRtcDataChannel channel, DataChannelMessage message, ILogger logger)
    {
        try
        {
            if (message.IsText)
            {
                channel.Send(message.Text);
            }
            else
            {
                channel.Send(message.Data);
            }
        }
        catch (InvalidOperationException e)
        {
            // The channel closed between the message and the echo.
            Log.EchoFailed(logger, channel.Label, e.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Client {ClientId} connected", EventName = "ClientConnected")]
        public static partial void ClientConnected(ILogger logger, uint clientId);

        [LoggerMessage(2, LogLevel.Information, "Client {ClientId} closed: {Reason}", EventName = "ClientClosed")]
        public static partial void ClientClosed(ILogger logger, uint clientId, string reason);

        [LoggerMessage(3, LogLevel.Debug, "Echo on channel '{Label}' failed: {Message}", EventName = "EchoFailed")]
        public static partial void EchoFailed(ILogger logger, string label, string message);
    }
}
