using System.Globalization;

namespace Enslavism.Grains.Postgres.Relay;

/// <summary>
/// The NOTIFY payload header: <c>&lt;m|r&gt;&lt;sender node hex&gt;.&lt;sequence hex&gt;.&lt;body&gt;</c>, where the body is
/// the base64 envelope (<c>m</c>) or the <c>ens_relay</c> row id (<c>r</c>). The sequence makes every payload unique,
/// so PostgreSQL cannot merge two identical messages of one batch, and lets the receiver spot gaps and repeats.
/// </summary>
internal readonly record struct RelayPayload(bool IsRow, long Sender, long Sequence, ReadOnlyMemory<char> Body)
{
    public static string Prefix(bool isRow, long sender, long sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{(isRow ? 'r' : 'm')}{sender:x}.{sequence:x}.");

    /// <summary>Parses a payload from the database; never throws on bad input.</summary>
    public static bool TryParse(string payload, out RelayPayload header)
    {
        header = default;
        if (payload.Length < 6 || payload[0] is not ('m' or 'r'))
        {
            return false;
        }

        var rest = payload.AsMemory(1);
        var firstDot = rest.Span.IndexOf('.');
        if (firstDot <= 0)
        {
            return false;
        }

        var afterSender = rest[(firstDot + 1)..];
        var secondDot = afterSender.Span.IndexOf('.');
        if (secondDot <= 0
            || !long.TryParse(rest.Span[..firstDot], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var sender)
            || !long.TryParse(afterSender.Span[..secondDot], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var sequence)
            || sender <= 0 || sequence <= 0)
        {
            return false;
        }

        var body = afterSender[(secondDot + 1)..];
        if (body.IsEmpty)
        {
            return false;
        }

        header = new RelayPayload(payload[0] == 'r', sender, sequence, body);
        return true;
    }
}
