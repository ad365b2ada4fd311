using Enslavism.Signaling;

namespace Enslavism.Grains;

/// <summary>One change of the slave list. Sequence numbers strictly increase along a subscription.</summary>
public abstract record SlaveListChange(long Sequence);

/// <summary>A slave registered and is now visible.</summary>
public sealed record SlaveAdded(long Sequence, SlaveEntry Slave) : SlaveListChange(Sequence);

/// <summary>A registered slave left.</summary>
public sealed record SlaveRemoved(long Sequence, uint SlaveId) : SlaveListChange(Sequence);
