namespace Enslavism.Signaling;

/// <summary>
/// Type 1, master → client: <c>[1]</c> followed by zero or more <see cref="SlaveEntry"/>. A client receives the current
/// list as one or more of these on connect, then one per slave that registers.
/// </summary>
public sealed record AddSlaves(IReadOnlyList<SlaveEntry> Slaves) : SignalingMessage
{
    public override SignalingMessageType Type => SignalingMessageType.AddSlaves;

    public bool Equals(AddSlaves? other) => other is not null && Slaves.SequenceEqual(other.Slaves);

    public override int GetHashCode() => Slaves.Count;
}
