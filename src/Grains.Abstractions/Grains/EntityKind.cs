namespace Enslavism.Grains;

/// <summary>The two kinds of master-tier entities that own a u32 id. Ids are unique per kind, as in Enslavism 0.9.</summary>
public enum EntityKind
{
    Slave,
    Client,
}
