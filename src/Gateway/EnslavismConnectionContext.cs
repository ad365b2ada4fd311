using System.Net.WebSockets;
using Enslavism.Grains;
using Microsoft.AspNetCore.Http;

namespace Enslavism.Gateway;

/// <summary>A slave or client connection, as seen by the connected/disconnected hooks.</summary>
public sealed class EnslavismConnectionContext
{
    internal EnslavismConnectionContext(HttpContext httpContext, EntityKind kind, uint id, int protocolVersion)
    {
        HttpContext = httpContext;
        Kind = kind;
        Id = id;
        ProtocolVersion = protocolVersion;
    }

    public HttpContext HttpContext { get; }

    public EntityKind Kind { get; }

    /// <summary>The id the master assigned (per kind).</summary>
    public uint Id { get; }

    /// <summary>The negotiated signaling protocol version (1 for Enslavism 0.9 peers).</summary>
    public int ProtocolVersion { get; }

    /// <summary>For disconnections: the close status the master sent or received, when there was one.</summary>
    public WebSocketCloseStatus? CloseStatus { get; internal set; }

    public string? CloseReason { get; internal set; }
}
