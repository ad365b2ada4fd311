namespace Enslavism.Grains.Postgres.Relay;

/// <summary>
/// One prepared cross-node message: either an inline NOTIFY payload, or the envelope bytes for an <c>ens_relay</c> row
/// whose id is appended to <paramref name="RowPrefix"/> to form the payload.
/// </summary>
internal sealed record RelayNotification(long Node, string? Inline, byte[] Bytes, string RowPrefix);
