using System.Text.Json.Nodes;
using Enslavism.Signaling;

namespace Enslavism.SlaveHost.EchoHost;

/// <summary>Command line of the example slave: <c>--master URL [--name NAME] [--data JSON] [--auth KEY=VALUE]...</c>.</summary>
public sealed record EchoHostArguments(Uri Master, JsonUserData UserData, IReadOnlyDictionary<string, string> AuthData)
{
    public const string Usage = "usage: Enslavism.SlaveHost --master ws://HOST:PORT [--name NAME] [--data JSON-OBJECT] [--auth KEY=VALUE]... [--udp-port PORT] [--announce IP]...";

    /// <summary>UDP port for WebRTC (<c>--udp-port</c>); 0 picks a free one.</summary>
    public int UdpPort { get; init; }

    /// <summary>Addresses announced to browsers (<c>--announce</c>, repeatable); empty announces 127.0.0.1.</summary>
    public IReadOnlyList<string> Announced { get; init; } = [];

    /// <summary>Parses the arguments; <c>--name</c> is added to the <c>--data</c> object as its <c>name</c> property.</summary>
    public static bool TryParse(IReadOnlyList<string> args, out EchoHostArguments? parsed, out string error)
    {
        ArgumentNullException.ThrowIfNull(args);
        parsed = null;
        Uri? master = null;
        string? name = null;
        string? data = null;
        var auth = new Dictionary<string, string>(StringComparer.Ordinal);
        var udpPort = 0;
        var announced = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            if (i + 1 >= args.Count)
            {
                error = $"{args[i]} needs a value. {Usage}";
                return false;
            }

            var value = args[++i];
            switch (args[i - 1])
            {
                case "--master" when Uri.TryCreate(value, UriKind.Absolute, out var uri):
                    master = uri;
                    break;
                case "--master":
                    error = $"--master must be an absolute URL such as ws://127.0.0.1:8080 (was '{value}').";
                    return false;
                case "--name":
                    name = value;
                    break;
                case "--data":
                    data = value;
                    break;
                case "--auth" when value.IndexOf('=', StringComparison.Ordinal) > 0:
                    var split = value.IndexOf('=', StringComparison.Ordinal);
                    auth[value[..split]] = value[(split + 1)..];
                    break;
                case "--auth":
                    error = $"--auth takes KEY=VALUE (was '{value}').";
                    return false;
                case "--udp-port" when int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is >= 0 and <= 65535:
                    udpPort = port;
                    break;
                case "--udp-port":
                    error = $"--udp-port takes a port from 0 to 65535 (was '{value}').";
                    return false;
                case "--announce" when System.Net.IPAddress.TryParse(value, out _):
                    announced.Add(value);
                    break;
                case "--announce":
                    error = $"--announce takes an IP address (was '{value}').";
                    return false;
                default:
                    error = $"Unknown argument '{args[i - 1]}'. {Usage}";
                    return false;
            }
        }

        if (master is null)
        {
            error = $"--master is required. {Usage}";
            return false;
        }

        if (!TryBuildUserData(name, data, out var userData, out error))
        {
            return false;
        }

        parsed = new EchoHostArguments(master, userData!, auth) { UdpPort = udpPort, Announced = announced };
        return true;
    }

    private static bool TryBuildUserData(string? name, string? data, out JsonUserData? userData, out string error)
    {
        userData = null;
        JsonNode? node;
        try
        {
            node = data is null ? new JsonObject() : JsonNode.Parse(data);
        }
        catch (System.Text.Json.JsonException e)
        {
            error = $"--data is not valid JSON: {e.Message}";
            return false;
        }

        if (name is not null)
        {
            if (node is not JsonObject obj)
            {
                error = "--name needs --data to be a JSON object (the name is added as its \"name\" property).";
                return false;
            }

            obj["name"] = name;
        }

        // Without --name the --data text is kept as written, byte for byte.
        userData = name is null && data is not null ? JsonUserData.Parse(data) : JsonUserData.Parse(node?.ToJsonString() ?? "null");
        error = string.Empty;
        return true;
    }
}
