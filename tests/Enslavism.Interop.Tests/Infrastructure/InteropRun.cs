using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Enslavism.Interop.Tests.Answerer;

namespace Enslavism.Interop.Tests.Infrastructure;

/// <summary>One test's answerer, signaling host and the diagnostics to print when it fails.</summary>
public sealed class InteropRun : IAsyncDisposable
{
    public const int TransferBytes = 1 << 20;

    private InteropRun(EchoBehaviour app, IInteropAnswerer answerer, SignalingHost signaling)
    {
        App = app;
        Answerer = answerer;
        Signaling = signaling;
    }

    public EchoBehaviour App { get; }

    public IInteropAnswerer Answerer { get; }

    public SignalingHost Signaling { get; }

    public string BaseUrl => Signaling.BaseUri.ToString().TrimEnd('/');

    /// <summary>What the answerer must report for the 1 MiB upload of the peers: 1024 messages of the pattern.</summary>
    public static string ExpectedBulkSummary(int messageSize = 1024)
    {
        var data = new byte[TransferBytes];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = EchoBehaviour.PatternByte(i);
        }

        return string.Create(CultureInfo.InvariantCulture, $"{TransferBytes / messageSize} {TransferBytes} {Convert.ToHexStringLower(SHA256.HashData(data))}");
    }

    public static async Task<InteropRun> StartAsync(AnswererKind kind, System.Net.IPAddress? endpointAddress = null)
    {
        var app = new EchoBehaviour();
        IInteropAnswerer answerer = kind == AnswererKind.Endpoint ? new EndpointAnswerer(app, endpointAddress) : new LoopbackAnswerer(app);
        var signaling = await SignalingHost.StartAsync(answerer, PeerEnvironment.PeersDirectory);
        return new InteropRun(app, answerer, signaling);
    }

    /// <summary>Waits for the peer's <c>POST /done</c>; returns null after <paramref name="timeout"/>.</summary>
    public async Task<string?> WaitDoneAsync(TimeSpan timeout)
    {
        var finished = await Task.WhenAny(Signaling.Done, Task.Delay(timeout));
        return finished == Signaling.Done ? await Signaling.Done : null;
    }

    public string Diagnostics(string? peerOutput = null)
    {
        var sb = new StringBuilder();
        sb.AppendLine("--- peer log (POST /log) ---");
        foreach (var line in Signaling.PeerLog)
        {
            sb.AppendLine(line);
        }

        sb.AppendLine("--- answerer ---");
        sb.Append(App);
        sb.AppendLine(Answerer.Describe());
        if (peerOutput is not null)
        {
            sb.AppendLine("--- peer process output ---");
            sb.AppendLine(peerOutput);
        }

        return sb.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await Signaling.DisposeAsync();
        await Answerer.DisposeAsync();
    }
}
