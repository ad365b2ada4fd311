using System.Net;
using System.Runtime.InteropServices;

namespace Enslavism.WebRtc.Core;

/// <summary>
/// One datagram a sans-IO layer wants sent: the host writes <see cref="Payload"/> to <see cref="Destination"/>
/// with a single <c>sendto</c>. The payload belongs to the receiver of the transmit until it calls
/// <see cref="Release"/>: a transmit with a <see cref="Pool"/> lends a pooled buffer, which goes back to the pool on
/// <see cref="Release"/> (call it exactly once, after the socket call, and never read the payload afterwards); a
/// transmit without one owns a plain array outright and <see cref="Release"/> does nothing.
/// </summary>
public readonly record struct Transmit(IPEndPoint Destination, ReadOnlyMemory<byte> Payload)
{
    /// <summary>Pool the payload's buffer came from, or null when the payload is the receiver's for good.</summary>
    public TransmitBufferPool? Pool { get; init; }

    /// <summary>Hands a pooled payload buffer back; once per transmit, after the datagram was sent or dropped.</summary>
    public void Release()
    {
        if (Pool is { } pool && MemoryMarshal.TryGetArray(Payload, out var segment) && segment.Array is { } array)
        {
            pool.Return(array);
        }
    }
}
