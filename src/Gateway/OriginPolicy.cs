using Microsoft.AspNetCore.Http;

namespace Enslavism.Gateway;

/// <summary>
/// Browser Origin check of the WebSocket upgrade: browsers let any page open a WebSocket to any host with the user's
/// cookies, so without this check a foreign page could act as the user (cross-site WebSocket hijacking).
/// </summary>
internal static class OriginPolicy
{
    public static bool IsWellFormedOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https"
        && (uri.AbsolutePath == "/" && !origin.EndsWith('/'))
        && string.IsNullOrEmpty(uri.Query);

    public static bool IsAllowed(HttpRequest request, IList<string> allowedOrigins)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }

        if (allowedOrigins.Count == 0)
        {
            return IsSameHost(origin, request);
        }

        foreach (var allowed in allowedOrigins)
        {
            if (allowed == EnslavismMasterOptions.AnyOrigin || string.Equals(allowed, origin, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSameHost(string origin, HttpRequest request)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || !request.Host.HasValue)
        {
            return false;
        }

        var requestPort = request.Host.Port ?? (request.IsHttps ? 443 : 80);
        return string.Equals(uri.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase) && uri.Port == requestPort;
    }
}
