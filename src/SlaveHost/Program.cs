using System.Runtime.InteropServices;
using Enslavism.SlaveHost.EchoHost;
using Microsoft.Extensions.Logging;

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});
using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
return await EchoHostRunner.RunAsync(args, Console.Out, Console.Error, loggerFactory, stop.Token);
