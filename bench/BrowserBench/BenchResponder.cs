using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Enslavism.Bench.Browser;

/// <summary>
/// One data channel of a .NET remote answerer, as <see cref="BenchResponder"/> sees it. Our stack's channel gets a
/// thin adapter to this when it is plugged in as a subject.
/// </summary>
internal interface IBenchChannel
{
    string Label { get; }

    /// <summary>
    /// Sends one message (binary unless <paramref name="isText"/>). Completes when the transport has accepted it; the
    /// adapter should make this wait while the channel's send buffer is full, which is the responder's only backpressure.
    /// </summary>
    ValueTask SendAsync(ReadOnlyMemory<byte> payload, bool isText, CancellationToken ct);
}

/// <summary>
/// The peer side of the benchmark page's protocol (documented at the top of wwwroot/bench.js), for a .NET answerer:
/// echo on "rtt*" channels, count on "bulk*" channels, control requests on "ctl". The JS responder in bench.js is the
/// reference behaviour; this mirrors it so that our slave measures its stack, not a different protocol.
/// </summary>
internal sealed class BenchResponder
{
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IBenchChannel> _bulk = new(StringComparer.Ordinal);
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Call when a channel opens, before its first message.</summary>
    public void AddChannel(IBenchChannel channel)
    {
        if (channel.Label.StartsWith("bulk", StringComparison.Ordinal))
        {
            _counters[channel.Label] = new Counter();
            _bulk[channel.Label] = channel;
        }
    }

    /// <summary>
    /// Call for every received message, in arrival order per channel. The payload is echoed as is, so the caller must
    /// not reuse its buffer until the returned task completes.
    /// </summary>
    public ValueTask OnMessageAsync(IBenchChannel channel, ReadOnlyMemory<byte> payload, bool isText, CancellationToken ct)
    {
        var label = channel.Label;
        if (label.StartsWith("rtt", StringComparison.Ordinal))
        {
            return channel.SendAsync(payload, isText, ct);
        }
        if (label.StartsWith("bulk", StringComparison.Ordinal))
        {
            _counters.GetOrAdd(label, _ => new Counter()).Add(payload.Length, _clock.Elapsed);
            return ValueTask.CompletedTask;
        }
        if (label == "ctl")
        {
            return HandleControlAsync(channel, Encoding.UTF8.GetString(payload.Span), ct);
        }
        return ValueTask.CompletedTask;
    }

    private async ValueTask HandleControlAsync(IBenchChannel ctl, string text, CancellationToken ct)
    {
        var args = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var command = args.Length > 0 ? args[0] : "";
        if (command == "send" && args.Length == 4 && _bulk.TryGetValue(args[1], out var target)
            && int.TryParse(args[2], CultureInfo.InvariantCulture, out var count) && count >= 0
            && int.TryParse(args[3], CultureInfo.InvariantCulture, out var size) && size > 0)
        {
            // Sending may take seconds; run it off the receive path so the channels keep being read meanwhile.
            _ = Task.Run(() => SendThenReplyAsync(ctl, target, count, size, ct), ct);
            return;
        }
        var reply = command switch
        {
            "caps?" => "caps echo count send",
            "reset" when args.Length == 2 && _counters.TryGetValue(args[1], out var c) => c.Reset(),
            "count?" when args.Length == 2 && _counters.TryGetValue(args[1], out var c) => c.Describe(),
            _ => $"error bad request: {text}",
        };
        await ctl.SendAsync(Encoding.UTF8.GetBytes(reply), isText: true, ct);
    }

    private static async Task SendThenReplyAsync(IBenchChannel ctl, IBenchChannel target, int count, int size, CancellationToken ct)
    {
        string reply;
        try
        {
            var payload = new byte[size];
            for (var i = 0; i < size; i++)
            {
                payload[i] = (byte)i;
            }
            for (var i = 0; i < count; i++)
            {
                await target.SendAsync(payload, isText: false, ct);
            }
            reply = $"sent {count} msgs";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            reply = $"error send failed: {e.Message}";
        }
        await ctl.SendAsync(Encoding.UTF8.GetBytes(reply), isText: true, ct);
    }

    private sealed class Counter
    {
        private readonly Lock _lock = new();
        private long _bytes;
        private long _msgs;
        private TimeSpan _first;
        private TimeSpan _last;

        public void Add(int bytes, TimeSpan at)
        {
            lock (_lock)
            {
                if (_msgs == 0)
                {
                    _first = at;
                }
                _last = at;
                _msgs++;
                _bytes += bytes;
            }
        }

        public string Reset()
        {
            lock (_lock)
            {
                (_bytes, _msgs, _first, _last) = (0, 0, TimeSpan.Zero, TimeSpan.Zero);
            }
            return "ok";
        }

        public string Describe()
        {
            lock (_lock)
            {
                var spanUs = _msgs > 1 ? (long)(_last - _first).TotalMicroseconds : 0;
                return string.Create(CultureInfo.InvariantCulture, $"{_bytes} bytes {_msgs} msgs {spanUs} us");
            }
        }
    }
}

/// <summary>`--self-test`: checks <see cref="BenchResponder"/> against the protocol with in-memory channels.</summary>
internal static class ResponderSelfTest
{
    public static async Task<int> RunAsync()
    {
        var passed = 0;
        var failed = 0;
        void Check(string name, bool ok, string got)
        {
            if (ok)
            {
                passed++;
            }
            else
            {
                failed++;
                Console.WriteLine($"FAIL {name}: got {got}");
            }
        }

        var responder = new BenchResponder();
        var ctl = new MemoryChannel("ctl");
        var rtt = new MemoryChannel("rtt-u");
        var bulk = new MemoryChannel("bulk");
        foreach (var ch in new[] { ctl, rtt, bulk })
        {
            responder.AddChannel(ch);
        }
        async Task<string> Ask(string request)
        {
            var before = ctl.Sent.Count;
            await responder.OnMessageAsync(ctl, Encoding.UTF8.GetBytes(request), isText: true, CancellationToken.None);
            for (var i = 0; i < 500 && ctl.Sent.Count == before; i++)
            {
                await Task.Delay(10); // "send" replies from a background task
            }
            return ctl.Sent.Count > before ? Encoding.UTF8.GetString(ctl.Sent[^1].Payload) : "(no reply)";
        }

        var caps = await Ask("caps?");
        Check("caps", caps == "caps echo count send", caps);

        var ping = new byte[16];
        ping[3] = 7;
        await responder.OnMessageAsync(rtt, ping, isText: false, CancellationToken.None);
        Check("echo", rtt.Sent.Count == 1 && rtt.Sent[0].Payload.SequenceEqual(ping) && !rtt.Sent[0].IsText, $"{rtt.Sent.Count} messages");

        for (var i = 0; i < 3; i++)
        {
            await responder.OnMessageAsync(bulk, new byte[10], isText: false, CancellationToken.None);
        }
        var counted = await Ask("count? bulk");
        Check("count", counted.StartsWith("30 bytes 3 msgs ", StringComparison.Ordinal) && counted.EndsWith(" us", StringComparison.Ordinal), counted);
        var reset = await Ask("reset bulk");
        var afterReset = await Ask("count? bulk");
        Check("reset", reset == "ok" && afterReset == "0 bytes 0 msgs 0 us", $"{reset} / {afterReset}");

        var sent = await Ask("send bulk 5 7");
        Check("send", sent == "sent 5 msgs" && bulk.Sent.Count == 5 && bulk.Sent.All(m => m.Payload.Length == 7 && !m.IsText), $"{sent}, {bulk.Sent.Count} messages");

        var bad = await Ask("count? nothing");
        Check("unknown", bad.StartsWith("error", StringComparison.Ordinal), bad);

        Console.WriteLine($"responder self-test: {passed} passed, {failed} failed");
        return failed == 0 ? 0 : 1;
    }

    private sealed class MemoryChannel(string label) : IBenchChannel
    {
        public string Label => label;
        public List<(byte[] Payload, bool IsText)> Sent { get; } = [];

        public ValueTask SendAsync(ReadOnlyMemory<byte> payload, bool isText, CancellationToken ct)
        {
            lock (Sent)
            {
                Sent.Add((payload.ToArray(), isText));
            }
            return ValueTask.CompletedTask;
        }
    }
}
