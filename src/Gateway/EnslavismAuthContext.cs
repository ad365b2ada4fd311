using Enslavism.Grains;
using Microsoft.AspNetCore.Http;

namespace Enslavism.Gateway;

/// <summary>The upgrade request of a slave or client, before it is accepted.</summary>
public sealed class EnslavismAuthContext
{
    internal EnslavismAuthContext(HttpContext httpContext, EntityKind kind, CancellationToken cancellationToken)
    {
        HttpContext = httpContext;
        Kind = kind;
        CancellationToken = cancellationToken;
        AuthData = httpContext.Request.Cookies.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
    }

    public HttpContext HttpContext { get; }

    public EntityKind Kind { get; }

    /// <summary>The cookies of the upgrade request, parsed: the "auth data" of Enslavism 0.9.</summary>
    public IReadOnlyDictionary<string, string> AuthData { get; }

    /// <summary>Cancelled when <see cref="EnslavismMasterOptions.AuthTimeout"/> elapses or the request is aborted.</summary>
    public CancellationToken CancellationToken { get; }

    public string? RejectionReason { get; private set; }

    public bool IsRejected => RejectionReason is not null;

    /// <summary>Refuses the connection: the upgrade is answered HTTP 401 with <paramref name="reason"/> as the body.</summary>
    public void Reject(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        RejectionReason = reason;
    }
}
