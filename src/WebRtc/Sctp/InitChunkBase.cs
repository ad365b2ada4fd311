namespace Enslavism.WebRtc.Sctp;

/// <summary>Common layout of INIT and INIT-ACK, RFC 9260 §3.3.2 and §3.3.3.</summary>
public abstract class InitChunkBase : SctpChunk
{
    private protected InitChunkBase(uint initiateTag, uint advertisedReceiverWindowCredit, ushort outboundStreams, ushort inboundStreams, uint initialTsn, IReadOnlyList<SctpParameter> parameters)
    {
        InitiateTag = initiateTag;
        AdvertisedReceiverWindowCredit = advertisedReceiverWindowCredit;
        OutboundStreams = outboundStreams;
        InboundStreams = inboundStreams;
        InitialTsn = initialTsn;
        Parameters = parameters;
    }

    public uint InitiateTag { get; }

    public uint AdvertisedReceiverWindowCredit { get; }

    public ushort OutboundStreams { get; }

    public ushort InboundStreams { get; }

    public uint InitialTsn { get; }

    public IReadOnlyList<SctpParameter> Parameters { get; }

    public override int ValueLength => 16 + SctpWire.ParameterListLength(Parameters);

    internal static bool TryParseFixed(ReadOnlySpan<byte> v, string name, out (uint Tag, uint Rwnd, ushort Os, ushort Mis, uint Tsn) fixedPart, out List<SctpParameter> parameters, out SctpParseError error)
    {
        fixedPart = default;
        parameters = [];
        if (v.Length < 16)
        {
            error = SctpParseError.TooShort(name);
            return false;
        }

        fixedPart = (SctpWire.ReadU32(v, 0), SctpWire.ReadU32(v, 4), SctpWire.ReadU16(v, 8), SctpWire.ReadU16(v, 10), SctpWire.ReadU32(v, 12));
        // RFC 9260 §3.3.2: a zero Initiate Tag, OS or MIS is invalid and the INIT must be aborted/discarded.
        if (fixedPart.Tag == 0 || fixedPart.Os == 0 || fixedPart.Mis == 0)
        {
            error = SctpParseError.Invalid(name + " with zero initiate tag or stream count");
            return false;
        }

        return SctpParameterReader.TryParseAll(v[16..], parameters, out error);
    }

    private protected override void WriteValue(Span<byte> destination)
    {
        SctpWire.WriteU32(destination, 0, InitiateTag);
        SctpWire.WriteU32(destination, 4, AdvertisedReceiverWindowCredit);
        SctpWire.WriteU16(destination, 8, OutboundStreams);
        SctpWire.WriteU16(destination, 10, InboundStreams);
        SctpWire.WriteU32(destination, 12, InitialTsn);
        SctpWire.WriteParameterList(Parameters, destination[16..]);
    }

    public T? FindParameter<T>()
        where T : SctpParameter
    {
        foreach (var p in Parameters)
        {
            if (p is T t)
            {
                return t;
            }
        }

        return null;
    }
}
