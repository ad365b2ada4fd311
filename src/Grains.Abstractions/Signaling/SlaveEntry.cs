namespace Enslavism.Signaling;

/// <summary>One slave in an <see cref="AddSlaves"/> frame: <c>[id u32][length u16][user data JSON]</c>.</summary>
public sealed record SlaveEntry(uint Id, JsonUserData UserData)
{
    /// <summary>The u16 length field caps user data at 65535 bytes.</summary>
    public const int MaxUserDataBytes = ushort.MaxValue;
}
