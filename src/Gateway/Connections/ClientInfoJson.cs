using System.Buffers;
using System.Text.Json;
using Enslavism.Signaling;
using Microsoft.AspNetCore.Http;

namespace Enslavism.Gateway.Connections;

/// <summary>
/// Builds the JSON of a <see cref="ClientInfo"/>: <c>{"auth": {cookie: value, ...}, "address": "ip"}</c>. The auth data
/// is what the master's auth hook saw (the cookies of the upgrade request), so a slave can decide on the same facts.
/// </summary>
internal static class ClientInfoJson
{
    public static JsonUserData From(HttpContext httpContext)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("auth");
            foreach (var (name, value) in httpContext.Request.Cookies)
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();
            if (httpContext.Connection.RemoteIpAddress is { } address)
            {
                json.WriteString("address", address.ToString());
            }

            json.WriteEndObject();
        }

        return JsonUserData.TryParse(buffer.WrittenSpan, out var info, out var error)
            ? info!
            : throw new InvalidOperationException($"ClientInfo JSON did not validate: {error}");
    }
}
