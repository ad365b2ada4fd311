namespace Enslavism.Grains;

/// <summary>No id is free: all 2^32 ids of a kind are live or quarantined.</summary>
public sealed class IdSpaceExhaustedException : Exception
{
    public IdSpaceExhaustedException()
        : base("All ids are in use.")
    {
    }

    public IdSpaceExhaustedException(string message)
        : base(message)
    {
    }

    public IdSpaceExhaustedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
