using Microsoft.AspNetCore.Http;

namespace Enslavism.Gateway.Demo;

/// <summary>Serves the demo page embedded in the assembly (so the master needs no web root).</summary>
internal sealed class DemoPageEndpoint
{
    public const string ResourceName = "Enslavism.Gateway.Demo.index.html";

    private readonly byte[] _page;

    public DemoPageEndpoint()
    {
        using var stream = typeof(DemoPageEndpoint).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The resource {ResourceName} is missing from the build.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        _page = copy.ToArray();
    }

    public async Task HandleAsync(HttpContext context)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.ContentLength = _page.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(_page, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
