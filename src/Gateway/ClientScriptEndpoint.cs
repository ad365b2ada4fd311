using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Enslavism.Gateway;

/// <summary>Serves the browser library embedded at build time, with an ETag so browsers revalidate cheaply.</summary>
internal sealed class ClientScriptEndpoint
{
    public const string ResourceName = "Enslavism.BrowserClient.client.js";

    private readonly byte[]? _script;
    private readonly string? _etag;

    public ClientScriptEndpoint()
    {
        using var stream = typeof(ClientScriptEndpoint).Assembly.GetManifestResourceStream(ResourceName);
        if (stream is null)
        {
            return;
        }

        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        _script = copy.ToArray();
        _etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(_script).AsSpan(0, 16))}\"";
    }

    public async Task HandleAsync(HttpContext context)
    {
        if (_script is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var headers = context.Response.Headers;
        headers.ETag = _etag;

        // Revalidate every time: the file changes with the master's version, and a 304 costs one round trip.
        headers.CacheControl = "no-cache";
        if (context.Request.Headers.IfNoneMatch.Any(value => value is not null && value.Contains(_etag!, StringComparison.Ordinal)))
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        context.Response.ContentType = "application/javascript; charset=utf-8";
        context.Response.ContentLength = _script.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(_script, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
