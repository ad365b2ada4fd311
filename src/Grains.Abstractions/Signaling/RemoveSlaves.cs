namespace Enslavism.Signaling;

/// <summary>
/// Type 2, master → client: <c>[2][JSON array of ids]</c>. Enslavism 0.9 documented a binary form but always sent JSON;
/// version 1 keeps JSON, written canonically (<c>[1,2]</c>) and read leniently (any whitespace).
/// </summary>
public sealed record RemoveSlaves(IReadOnlyList<uint> Ids) : SignalingMessage
{
    public override SignalingMessageType Type => SignalingMessageType.RemoveSlaves;

    public bool Equals(RemoveSlaves? other) => other is not null && Ids.SequenceEqual(other.Ids);

    public override int GetHashCode() => Ids.Count;
}
