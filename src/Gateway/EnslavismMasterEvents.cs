namespace Enslavism.Gateway;

/// <summary>
/// Asynchronous hooks of the master, set in <see cref="EnslavismMasterOptions.Events"/> (the shape of ASP.NET Core's
/// JwtBearerEvents). Each is optional. They run on the connection's own loop: a slow hook delays that peer only.
/// A hook that throws is logged and otherwise ignored, except an auth hook, whose failure answers the upgrade 500.
/// </summary>
public sealed class EnslavismMasterEvents
{
    /// <summary>A slave asks to connect; call <see cref="EnslavismAuthContext.Reject"/> to answer 401 with a reason.</summary>
    public Func<EnslavismAuthContext, ValueTask>? OnSlaveAuthenticating { get; set; }

    /// <summary>A client asks to connect; call <see cref="EnslavismAuthContext.Reject"/> to answer 401 with a reason.</summary>
    public Func<EnslavismAuthContext, ValueTask>? OnClientAuthenticating { get; set; }

    /// <summary>A slave's WebSocket is open and it has its id; it is not listed until it registers.</summary>
    public Func<EnslavismConnectionContext, ValueTask>? OnSlaveConnected { get; set; }

    /// <summary>A slave sent Register (again, for an update); it is now listed with this user data.</summary>
    public Func<EnslavismSlaveRegisteredContext, ValueTask>? OnSlaveRegistered { get; set; }

    /// <summary>A slave's connection ended; it has left the list.</summary>
    public Func<EnslavismConnectionContext, ValueTask>? OnSlaveDisconnected { get; set; }

    /// <summary>A client's WebSocket is open; its slave-list snapshot is queued.</summary>
    public Func<EnslavismConnectionContext, ValueTask>? OnClientConnected { get; set; }

    /// <summary>A client's connection ended.</summary>
    public Func<EnslavismConnectionContext, ValueTask>? OnClientDisconnected { get; set; }

    /// <summary>A peer broke the protocol, overflowed its send queue, or a connection failed.</summary>
    public Func<EnslavismErrorContext, ValueTask>? OnError { get; set; }
}
