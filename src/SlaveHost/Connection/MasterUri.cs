namespace Enslavism.SlaveHost;

/// <summary>Builds the slaves endpoint URL from the master's base URL, as Enslavism 0.9 did (base + <c>/enslavism/slaves</c>).</summary>
public static class MasterUri
{
    /// <summary>The path the master serves slaves on, relative to its base URL.</summary>
    public const string SlavesPath = "/enslavism/slaves";

    /// <summary>
    /// Appends <see cref="SlavesPath"/> to the base URL's path. <c>http</c>/<c>https</c> are mapped to <c>ws</c>/<c>wss</c>
    /// so a master's web address can be used as is; the query string is kept, a fragment is not allowed.
    /// </summary>
    public static Uri ForSlaves(Uri masterBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(masterBaseUrl);
        if (!masterBaseUrl.IsAbsoluteUri)
        {
            throw new ArgumentException("The master URL must be absolute, e.g. ws://127.0.0.1:8081.", nameof(masterBaseUrl));
        }

        var scheme = masterBaseUrl.Scheme switch
        {
            "ws" or "http" => "ws",
            "wss" or "https" => "wss",
            _ => throw new ArgumentException($"The master URL scheme must be ws, wss, http or https (was {masterBaseUrl.Scheme}).", nameof(masterBaseUrl)),
        };
        if (masterBaseUrl.Fragment.Length > 0)
        {
            throw new ArgumentException("The master URL must not have a fragment.", nameof(masterBaseUrl));
        }

        var builder = new UriBuilder(masterBaseUrl)
        {
            Scheme = scheme,
            Port = masterBaseUrl.IsDefaultPort ? -1 : masterBaseUrl.Port,
            Path = masterBaseUrl.AbsolutePath.TrimEnd('/') + SlavesPath,
        };
        return builder.Uri;
    }
}
