using System.Text.Json;
using Enslavism.Signaling;

namespace Enslavism.SlaveHost;

/// <summary>
/// A client as the master describes it in a protocol-version-2 ClientInfo message, before the client's first offer.
/// </summary>
/// <param name="AuthData">The client's auth data: the cookies of its WebSocket upgrade to the master (name → value).</param>
/// <param name="Address">The client's IP address as the master saw it; null when the master did not say.</param>
public sealed record OfferingClient(IReadOnlyDictionary<string, string> AuthData, string? Address)
{
    /// <summary>Reads the ClientInfo JSON <c>{"auth": {name: value}, "address": "ip"}</c>; false when it has another shape.</summary>
    internal static bool TryParse(JsonUserData info, out OfferingClient? client)
    {
        client = null;
        using var document = info.ToDocument();
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("auth", out var auth)
            || auth.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var authData = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var cookie in auth.EnumerateObject())
        {
            if (cookie.Value.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            authData[cookie.Name] = cookie.Value.GetString()!;
        }

        string? address = null;
        if (root.TryGetProperty("address", out var addressValue))
        {
            if (addressValue.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            address = addressValue.GetString();
        }

        client = new OfferingClient(authData, address);
        return true;
    }
}
