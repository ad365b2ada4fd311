using System.Text;

namespace Enslavism.SlaveHost;

/// <summary>
/// Encodes auth data as a <c>Cookie</c> header, the way Enslavism 0.9 sent it: names must be RFC 6265 tokens, values are
/// percent-encoded (RFC 3986 unreserved characters kept), which both ASP.NET Core and the npm <c>cookie</c> parser decode.
/// </summary>
public static class AuthCookies
{
    /// <summary>Returns the header value, or null when there is nothing to send.</summary>
    public static string? ToCookieHeader(IReadOnlyDictionary<string, string>? authData)
    {
        if (authData is null || authData.Count == 0)
        {
            return null;
        }

        var header = new StringBuilder();
        foreach (var (name, value) in authData.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (!IsToken(name))
            {
                throw new ArgumentException($"Auth data key '{name}' is not a valid cookie name (RFC 6265 token characters only).", nameof(authData));
            }

            ArgumentNullException.ThrowIfNull(value, $"{nameof(authData)}[{name}]");
            if (header.Length > 0)
            {
                header.Append("; ");
            }

            header.Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }

        return header.ToString();
    }

    private static bool IsToken(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        foreach (var c in name)
        {
            // RFC 7230 tchar.
            var ok = c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
                || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
