namespace Enslavism.WebRtc.Ice;

public enum IceLiteState
{
    /// <summary>Waiting for the first valid connectivity check.</summary>
    Checking,

    /// <summary>At least one valid check was answered (a pair may or may not be nominated yet).</summary>
    Connected,

    /// <summary>Consent lost, connect timeout, or closed by the owner: everything is dropped.</summary>
    Closed,
}
