namespace Enslavism.Grains;

/// <summary>
/// Resolves grains by key, like Orleans' IGrainFactory. The in-memory runtime activates them in process; a cluster
/// runtime returns references that reach the node holding the entity.
/// </summary>
public interface IMasterGrainFactory
{
    ISlaveRegistryGrain GetSlaveRegistry();

    IIdAllocatorGrain GetIdAllocator(EntityKind kind);

    ISlaveGrain GetSlave(uint slaveId);

    IClientSessionGrain GetClientSession(uint clientId);
}
