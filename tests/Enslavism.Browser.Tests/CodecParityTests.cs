using System.Text.Json;
using Enslavism.Signaling;
using Xunit.Abstractions;

namespace Enslavism.Browser.Tests;

/// <summary>
/// Differential test: the TypeScript codec (as bundled in client.js, running in Chromium) and the C# codec decode the
/// same frames — golden vectors, seeded mutations of them and random frames — to the same outcome: the same error kind,
/// or a message that both re-encode to the same bytes.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CodecParityTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const int Seed = 20261122;
    private const int MutationsPerVector = 60;
    private const int RandomFrames = 1500;

    [Fact]
    public async Task BrowserCodec_AgreesWithCSharpCodec()
    {
        var frames = BuildFrames();
        var expected = frames.Select(DescribeWithCSharp).ToArray();

        await using var server = await MasterServer.StartAsync();
        await using var tab = await browser.NewPageAsync(output);
        await tab.Page.GotoAsync(server.PageUri.ToString());
        var actual = await tab.Page.EvaluateAsync<string[]>(
            """
            (hexes) => hexes.map((hex) => {
              const bytes = new Uint8Array(hex.length / 2);
              for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.substr(i * 2, 2), 16);
              let result;
              try { result = Enslavism.decode(bytes); } catch (e) { return 'threw ' + e; }
              if (!result.ok) return result.error.kind;
              const again = Enslavism.encode(result.message);
              return 'ok ' + Array.from(again, (b) => b.toString(16).padStart(2, '0')).join('');
            })
            """,
            frames.Select(Convert.ToHexStringLower).ToArray());

        var mismatches = Enumerable.Range(0, frames.Count)
            .Where(i => expected[i] != actual[i])
            .Select(i => $"{Convert.ToHexStringLower(frames[i])}: C# {expected[i]}, browser {actual[i]}")
            .ToList();
        foreach (var line in mismatches.Take(20))
        {
            output.WriteLine(line);
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {frames.Count} frames decode differently; first: {mismatches.FirstOrDefault()}");
        Assert.Contains(expected, e => e.StartsWith("ok ", StringComparison.Ordinal));
        Assert.Contains(expected, e => !e.StartsWith("ok ", StringComparison.Ordinal));
    }

    private static string DescribeWithCSharp(byte[] frame) =>
        SignalingCodec.TryDecode(frame, out var message, out var error)
            ? "ok " + Convert.ToHexStringLower(SignalingCodec.Encode(message!))
            : error.Kind.ToString();

    private static List<byte[]> BuildFrames()
    {
        using var vectors = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "vectors", "signaling-v1.json")));
        var golden = vectors.RootElement.GetProperty("vectors").EnumerateArray()
            .Concat(vectors.RootElement.GetProperty("malformed").EnumerateArray())
            .Select(v => Convert.FromHexString(v.GetProperty("hex").GetString()!))
            .ToList();
        var random = new Random(Seed);
        var frames = new List<byte[]>(golden);
        foreach (var original in golden.Where(g => g.Length <= 4096))
        {
            for (var i = 0; i < MutationsPerVector; i++)
            {
                frames.Add(Mutate(original, random));
            }
        }

        for (var i = 0; i < RandomFrames; i++)
        {
            var frame = new byte[random.Next(0, 32)];
            random.NextBytes(frame);
            if (frame.Length > 0)
            {
                frame[0] = (byte)random.Next(0, 14);
            }

            frames.Add(frame);
        }

        // JSON-shaped bodies reach the JSON validators, where the two languages' parsers could disagree.
        string[] json = ["[1,2]", "[01]", "[1.0]", "[-0]", "[1e2]", "[4294967296]", "{\"a\":[1,{\"b\":null}]}", "\"\\ud800\"", "[1,]",
            "{\"a\":1,}", "  7  ", "tru", "nul", "[\"\\u0000\"]", "\"\t\"", "{\"a\" 1}", "1 2", "[\"é\"]", "\ufeff{}"];
        foreach (var text in json)
        {
            var body = System.Text.Encoding.UTF8.GetBytes(text);
            frames.Add([0, .. body]);
            frames.Add([2, .. body]);
        }

        frames.Add([0, .. System.Text.Encoding.UTF8.GetBytes(new string('[', 64) + new string(']', 64))]);
        frames.Add([0, .. System.Text.Encoding.UTF8.GetBytes(new string('[', 65) + new string(']', 65))]);
        return frames;
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = original.ToList();
        var at = random.Next(0, Math.Max(1, bytes.Count));
        switch (random.Next(0, 4))
        {
            case 0 when bytes.Count > 0:
                bytes[at] = (byte)random.Next(0, 256);
                break;
            case 1:
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            case 2:
                bytes.Insert(at, (byte)random.Next(0, 256));
                break;
            default:
                if (bytes.Count > 0)
                {
                    bytes[at] ^= (byte)(1 << random.Next(0, 8));
                }

                break;
        }

        return [.. bytes];
    }
}
