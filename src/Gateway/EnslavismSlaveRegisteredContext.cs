using Enslavism.Signaling;
using Microsoft.AspNetCore.Http;

namespace Enslavism.Gateway;

/// <summary>A slave registered (or registered again to update its user data).</summary>
public sealed class EnslavismSlaveRegisteredContext
{
    internal EnslavismSlaveRegisteredContext(HttpContext httpContext, uint slaveId, JsonUserData userData, bool isUpdate)
    {
        HttpContext = httpContext;
        SlaveId = slaveId;
        UserData = userData;
        IsUpdate = isUpdate;
    }

    public HttpContext HttpContext { get; }

    public uint SlaveId { get; }

    /// <summary>The user data exactly as the slave sent it.</summary>
    public JsonUserData UserData { get; }

    /// <summary>True when the slave was already listed and replaced its user data.</summary>
    public bool IsUpdate { get; }
}
