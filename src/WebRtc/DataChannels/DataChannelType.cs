namespace Enslavism.WebRtc.DataChannels;

/// <summary>DCEP channel types, RFC 8832 §5.1; the high bit means unordered.</summary>
public enum DataChannelType : byte
{
    Reliable = 0x00,
    ReliableUnordered = 0x80,
    PartialReliableRexmit = 0x01,
    PartialReliableRexmitUnordered = 0x81,
    PartialReliableTimed = 0x02,
    PartialReliableTimedUnordered = 0x82,
}
