namespace Enslavism.WebRtc.Sctp;

/// <summary>Receive state of one ordered stream: next expected SSN and fragments per SSN (RFC 9260 §6.5–6.6).</summary>
internal sealed class InboundStream
{
    public ushort NextSsn { get; set; }

    public Dictionary<ushort, List<DataChunk>> Pending { get; } = [];

    public static bool IsComplete(List<DataChunk> fragments)
    {
        DataChunk? first = null, last = null;
        foreach (var f in fragments)
        {
            if (f.Beginning)
            {
                first = f;
            }

            if (f.Ending)
            {
                last = f;
            }
        }

        return first != null && last != null && SerialNumber.Lte(first.Tsn, last.Tsn) && last.Tsn - first.Tsn + 1 == (uint)fragments.Count;
    }

    /// <summary>Receive-buffer cost of a chunk: payload plus header, so 1-byte chunks cannot evade the buffer limit.</summary>
    public static int Cost(DataChunk chunk) => chunk.UserData.Length + DataChunk.HeaderLength;

    public static long TotalCost(List<DataChunk> fragments)
    {
        long total = 0;
        foreach (var f in fragments)
        {
            total += Cost(f);
        }

        return total;
    }

    public static int TotalBytes(List<DataChunk> fragments)
    {
        var total = 0;
        foreach (var f in fragments)
        {
            total += f.UserData.Length;
        }

        return total;
    }
}
