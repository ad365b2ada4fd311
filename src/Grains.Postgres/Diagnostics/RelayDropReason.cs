namespace Enslavism.Grains.Postgres.Diagnostics;

/// <summary>Why a cross-node signaling message was not delivered.</summary>
public enum RelayDropReason
{
    /// <summary>No live node holds the destination id.</summary>
    NoRoute,

    /// <summary>The destination node no longer holds the entity.</summary>
    DestinationGone,

    /// <summary>The frame is larger than <see cref="PostgresClusterOptions.MaxRelayFrameBytes"/>.</summary>
    TooLarge,

    /// <summary>The outgoing or incoming queue was full.</summary>
    QueueFull,

    /// <summary>The database was unreachable.</summary>
    BackplaneUnavailable,

    /// <summary>A received payload could not be decoded.</summary>
    Malformed,
}
