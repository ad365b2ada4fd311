using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Enslavism.Interop.Tests.Answerer;

/// <summary>
/// The slave's application in the interop tests (contract in tests/interop-peers/README.md): echo every message
/// on every channel, except
/// <list type="bullet">
/// <item><c>bulk</c>: count and hash what arrives; on the text <c>END</c> reply <c>"&lt;messages&gt; &lt;bytes&gt; &lt;sha256&gt;"</c>;</item>
/// <item><c>download</c>: on the text <c>GET &lt;n&gt;</c> send n bytes of <see cref="PatternByte"/> in binary
/// messages of <see cref="DownloadChunk"/> bytes, then the text <c>END &lt;n&gt; &lt;sha256&gt;</c>;</item>
/// <item>the text <c>close-me</c> on any channel: close that channel from our side (RFC 8831 §6.7).</item>
/// </list>
/// Called from one thread at a time (the answerer's loop or dispatcher); what it saw is readable from any thread for the assertions.
/// </summary>
public sealed class EchoBehaviour
{
    public const int DownloadChunk = 16 * 1024;

    private readonly ConcurrentQueue<string> _log = new();
    private readonly Dictionary<IEchoChannel, IncrementalHash> _bulkHashes = [];
    private readonly Dictionary<IEchoChannel, (long Messages, long Bytes)> _bulkCounts = [];
    private int _echoes;

    public ConcurrentBag<string> OpenedLabels { get; } = [];

    public ConcurrentBag<string> ClosedLabels { get; } = [];

    /// <summary>Completes when a channel with this label has closed (our side saw the stream reset finish).</summary>
    public Task WhenClosedAsync(string label) => _closedWaiters.GetOrAdd(label, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _closedWaiters = new(StringComparer.Ordinal);

    public int Echoes => Volatile.Read(ref _echoes);

    /// <summary>Summaries of completed bulk uploads: "messages bytes sha256".</summary>
    public ConcurrentBag<string> BulkResults { get; } = [];

    public IEnumerable<string> Log => _log;

    public static byte PatternByte(long index) => (byte)(index % 251);

    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    public void Note(string line) => _log.Enqueue(string.Create(CultureInfo.InvariantCulture, $"{_clock.ElapsedMilliseconds,6} ms  {line}"));

    public void OnOpened(IEchoChannel channel)
    {
        OpenedLabels.Add(channel.Label);
        Note($"open {channel}");
    }

    public void OnClosed(IEchoChannel channel)
    {
        ClosedLabels.Add(channel.Label);
        _closedWaiters.GetOrAdd(channel.Label, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        Note($"closed {channel}");
    }

    public void OnMessage(IEchoChannel channel, bool isText, byte[] data)
    {
        var text = isText ? Encoding.UTF8.GetString(data) : "";
        if (isText && text == "close-me")
        {
            Note($"closing {channel} on request");
            channel.Close();
            return;
        }

        if (channel.Label == "bulk")
        {
            if (isText && text == "END")
            {
                var hash = _bulkHashes.Remove(channel, out var h) ? h : IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var (messages, bytes) = _bulkCounts.Remove(channel, out var c) ? c : (0, 0);
                var summary = string.Create(CultureInfo.InvariantCulture, $"{messages} {bytes} {Convert.ToHexStringLower(hash.GetHashAndReset())}");
                hash.Dispose();
                BulkResults.Add(summary);
                Note($"bulk done {summary}");
                Send(channel, summary);
                return;
            }

            if (!_bulkHashes.TryGetValue(channel, out var inc))
            {
                inc = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                _bulkHashes[channel] = inc;
            }

            inc.AppendData(data);
            var (m, b) = _bulkCounts.GetValueOrDefault(channel);
            _bulkCounts[channel] = (m + 1, b + data.Length);
            return;
        }

        if (channel.Label == "download" && isText && text.StartsWith("GET ", StringComparison.Ordinal)
            && int.TryParse(text.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var total))
        {
            SendDownload(channel, total);
            return;
        }

        if (channel.Label != "download")
        {
            Note(isText ? $"echo {channel.Label} text {data.Length} B" : $"echo {channel.Label} binary {data.Length} B");
        }

        Interlocked.Increment(ref _echoes);
        if (channel.Send(isText, data) is { } failure)
        {
            Note($"echo on {channel} failed: {failure}");
        }
    }

    private void SendDownload(IEchoChannel channel, int total)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunk = new byte[DownloadChunk];
        for (var offset = 0; offset < total; offset += DownloadChunk)
        {
            var length = Math.Min(DownloadChunk, total - offset);
            for (var i = 0; i < length; i++)
            {
                chunk[i] = PatternByte(offset + i);
            }

            hash.AppendData(chunk, 0, length);
            if (channel.Send(false, chunk.AsSpan(0, length).ToArray()) is { } failure)
            {
                Note($"download send failed at {offset}: {failure}");
                return;
            }
        }

        var summary = string.Create(CultureInfo.InvariantCulture, $"END {total} {Convert.ToHexStringLower(hash.GetHashAndReset())}");
        Note($"download queued {summary}");
        Send(channel, summary);
    }

    private void Send(IEchoChannel channel, string text)
    {
        if (channel.Send(true, Encoding.UTF8.GetBytes(text)) is { } failure)
        {
            Note($"send on {channel} failed: {failure}");
        }
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var line in _log)
        {
            sb.AppendLine(line);
        }

        return sb.ToString();
    }
}
