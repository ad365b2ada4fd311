namespace Enslavism.WebRtc.Sctp;

/// <summary>Serial number arithmetic (RFC 1982) for 32-bit TSNs and 16-bit SSNs, as required by RFC 9260 §1.6.</summary>
internal static class SerialNumber
{
    public static bool Lt(uint a, uint b) => a != b && (int)(a - b) < 0;

    public static bool Lte(uint a, uint b) => a == b || (int)(a - b) < 0;

    public static bool Gt(uint a, uint b) => Lt(b, a);

    public static bool Gte(uint a, uint b) => Lte(b, a);

    public static bool Lt16(ushort a, ushort b) => a != b && (short)(a - b) < 0;

    public static bool Lte16(ushort a, ushort b) => a == b || (short)(a - b) < 0;

    public static uint Max(uint a, uint b) => Lt(a, b) ? b : a;

    /// <summary>Orders TSNs by serial arithmetic; valid while all compared values lie within 2^31 of each other.</summary>
    public sealed class TsnComparer : IComparer<uint>
    {
        public static TsnComparer Instance { get; } = new();

        public int Compare(uint x, uint y) => x == y ? 0 : (Lt(x, y) ? -1 : 1);
    }
}
