namespace Enslavism.Grains.Postgres;

/// <summary>The operation needs the shared database, which this node cannot reach right now.</summary>
public sealed class BackplaneUnavailableException : Exception
{
    public BackplaneUnavailableException()
        : base("The cluster backplane (PostgreSQL) is unavailable.")
    {
    }

    public BackplaneUnavailableException(string message)
        : base(message)
    {
    }

    public BackplaneUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
