using Enslavism.SlaveHost.PeerConnections;
using Microsoft.Extensions.Logging;

namespace Enslavism.SlaveHost.EchoHost;

/// <summary>
/// The example slave: connects, registers and stays listed until cancelled. It has no WebRTC stack yet, so it rejects
/// every offer (clients get RejectFromSlave); the echo data channel comes with the WebRTC issue.
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

        var logger = loggerFactory.CreateLogger(typeof(EchoHostRunner));
        await using var slave = new SlaveConnection(new NoWebRtcPeerConnectionFactory(), new SlaveOptions(), loggerFactory)
        {
            OfferAdmission = (offer, _) =>
            {
                Log.OfferRejectedNoWebRtc(logger, offer.ClientId);
                return ValueTask.FromResult(OfferDecision.Reject);
            },
        };
        try
        {
            await slave.ConnectAsync(parsed!.Master, parsed.UserData, parsed.AuthData, stop);
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

        await output.WriteLineAsync($"Registered with {parsed.Master} as {parsed.UserData}. Press Ctrl-C to stop.");
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

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Rejecting the offer of client {ClientId}: this host has no WebRTC stack yet", EventName = "OfferRejectedNoWebRtc")]
        public static partial void OfferRejectedNoWebRtc(ILogger logger, uint clientId);
    }

    private sealed class NoWebRtcPeerConnectionFactory : IPeerConnectionFactory
    {
        public IPeerConnection CreatePeerConnection(uint clientId) =>
            throw new NotSupportedException("This host has no WebRTC stack yet.");
    }
}
