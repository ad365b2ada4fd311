namespace Enslavism.WebRtc.Sctp;

/// <summary>SACK chunk, RFC 9260 §3.3.4: cumulative TSN ack, a_rwnd, gap ack blocks and duplicate TSNs.</summary>
public sealed class SackChunk(uint cumulativeTsnAck, uint advertisedReceiverWindowCredit, IReadOnlyList<SackGapBlock> gapAckBlocks, IReadOnlyList<uint> duplicateTsns) : SctpChunk
{
    public uint CumulativeTsnAck { get; } = cumulativeTsnAck;

    public uint AdvertisedReceiverWindowCredit { get; } = advertisedReceiverWindowCredit;

    public IReadOnlyList<SackGapBlock> GapAckBlocks { get; } = gapAckBlocks;

    public IReadOnlyList<uint> DuplicateTsns { get; } = duplicateTsns;

    public override byte TypeCode => (byte)SctpChunkType.Sack;

    public override int ValueLength => 12 + (4 * GapAckBlocks.Count) + (4 * DuplicateTsns.Count);

    internal static bool TryParseValue(ReadOnlySpan<byte> v, out SctpChunk? chunk, out SctpParseError error)
    {
        chunk = null;
        if (v.Length < 12)
        {
            error = SctpParseError.TooShort("SACK chunk");
            return false;
        }

        int gaps = SctpWire.ReadU16(v, 8);
        int dups = SctpWire.ReadU16(v, 10);
        if (v.Length != 12 + (4 * (gaps + dups)))
        {
            error = SctpParseError.BadLength("SACK chunk");
            return false;
        }

        var blocks = new SackGapBlock[gaps];
        for (var i = 0; i < gaps; i++)
        {
            blocks[i] = new SackGapBlock(SctpWire.ReadU16(v, 12 + (4 * i)), SctpWire.ReadU16(v, 14 + (4 * i)));
            if (blocks[i].Start == 0 || blocks[i].End < blocks[i].Start)
            {
                error = SctpParseError.Invalid("SACK gap block with start 0 or end before start");
                return false;
            }
        }

        var dupTsns = new uint[dups];
        for (var i = 0; i < dups; i++)
        {
            dupTsns[i] = SctpWire.ReadU32(v, 12 + (4 * gaps) + (4 * i));
        }

        chunk = new SackChunk(SctpWire.ReadU32(v, 0), SctpWire.ReadU32(v, 4), blocks, dupTsns);
        error = default;
        return true;
    }

    private protected override void WriteValue(Span<byte> destination)
    {
        SctpWire.WriteU32(destination, 0, CumulativeTsnAck);
        SctpWire.WriteU32(destination, 4, AdvertisedReceiverWindowCredit);
        SctpWire.WriteU16(destination, 8, checked((ushort)GapAckBlocks.Count));
        SctpWire.WriteU16(destination, 10, checked((ushort)DuplicateTsns.Count));
        var offset = 12;
        foreach (var block in GapAckBlocks)
        {
            SctpWire.WriteU16(destination, offset, block.Start);
            SctpWire.WriteU16(destination, offset + 2, block.End);
            offset += 4;
        }

        foreach (var tsn in DuplicateTsns)
        {
            SctpWire.WriteU32(destination, offset, tsn);
            offset += 4;
        }
    }
}
