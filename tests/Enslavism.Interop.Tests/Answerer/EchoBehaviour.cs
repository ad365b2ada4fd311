using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Enslavism.WebRtc.DataChannels;

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
/// Runs on the answerer's event-loop thread; what it saw is readable from any thread for the assertions.
/// </summary>
public sealed class EchoBehaviour
{
    public const int DownloadChunk = 16 * 1024;

    private readonly ConcurrentQueue<string> _log = new();
    private readonly Dictionary<DataChannel, IncrementalHash> _bulkHashes = [];
    private readonly Dictionary<DataChannel, (long Messages, long Bytes)> _bulkCounts = [];
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

    public void OnEvent(TimeSpan now, DataChannelEvent ev)
    {
        switch (ev)
        {
            case DataChannelOpened opened:
                OpenedLabels.Add(opened.Channel.Label);
                Note($"open {opened.Channel} ordered={opened.Channel.Ordered} {opened.Channel.Reliability} byPeer={opened.OpenedByPeer}");
                break;
            case DataChannelMessageReceived msg:
                OnMessage(now, msg);
                break;
            case DataChannelClosed closed:
                ClosedLabels.Add(closed.Channel.Label);
                _closedWaiters.GetOrAdd(closed.Channel.Label, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                Note($"closed {closed.Channel}");
                break;
            case DataChannelError error:
                Note($"error {error.Kind} {error.Channel} {error.Message}");
                break;
            case DataChannelTransportConnected:
                Note("sctp connected");
                break;
            case DataChannelTransportClosed tc:
                Note($"sctp closed {tc.Reason} {tc.Detail}");
                break;
        }
    }

    private void OnMessage(TimeSpan now, DataChannelMessageReceived msg)
    {
        var channel = msg.Channel;
        if (msg.IsString && msg.Text == "close-me")
        {
            Note($"closing {channel} on request");
            channel.Close(now);
            return;
        }

        if (channel.Label == "bulk")
        {
            if (msg.IsString && msg.Text == "END")
            {
                var hash = _bulkHashes.Remove(channel, out var h) ? h : IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var (messages, bytes) = _bulkCounts.Remove(channel, out var c) ? c : (0, 0);
                var summary = string.Create(CultureInfo.InvariantCulture, $"{messages} {bytes} {Convert.ToHexStringLower(hash.GetHashAndReset())}");
                hash.Dispose();
                BulkResults.Add(summary);
                Note($"bulk done {summary}");
                Send(now, channel, summary);
                return;
            }

            if (!_bulkHashes.TryGetValue(channel, out var inc))
            {
                inc = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                _bulkHashes[channel] = inc;
            }

            inc.AppendData(msg.Data);
            var (m, b) = _bulkCounts.GetValueOrDefault(channel);
            _bulkCounts[channel] = (m + 1, b + msg.Data.Length);
            return;
        }

        if (channel.Label == "download" && msg.IsString && msg.Text.StartsWith("GET ", StringComparison.Ordinal)
            && int.TryParse(msg.Text.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var total))
        {
            SendDownload(now, channel, total);
            return;
        }

        if (channel.Label != "download")
        {
            Note(msg.IsString ? $"echo {channel.Label} text {msg.Data.Length} B" : $"echo {channel.Label} binary {msg.Data.Length} B");
        }

        Interlocked.Increment(ref _echoes);
        var result = msg.IsString ? channel.Send(now, msg.Text) : channel.Send(now, msg.Data);
        if (result != DataChannelSendResult.Queued)
        {
            Note($"echo on {channel} failed: {result}");
        }
    }

    private void SendDownload(TimeSpan now, DataChannel channel, int total)
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
            var result = channel.Send(now, chunk.AsSpan(0, length));
            if (result != DataChannelSendResult.Queued)
            {
                Note($"download send failed at {offset}: {result}");
                return;
            }
        }

        var summary = string.Create(CultureInfo.InvariantCulture, $"END {total} {Convert.ToHexStringLower(hash.GetHashAndReset())}");
        Note($"download queued {summary}");
        Send(now, channel, summary);
    }

    private void Send(TimeSpan now, DataChannel channel, string text)
    {
        var result = channel.Send(now, text);
        if (result != DataChannelSendResult.Queued)
        {
            Note($"send on {channel} failed: {result}");
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
