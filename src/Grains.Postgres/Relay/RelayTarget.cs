namespace Enslavism.Grains.Postgres.Relay;

/// <summary>Which local grain a relayed message is for.</summary>
public enum RelayTarget : byte
{
    Slave = 1,
    Client = 2,
}
