using System.Net;

namespace Enslavism.WebRtc.Core;

/// <summary>
/// One datagram a sans-IO layer wants sent: the host writes <see cref="Payload"/> to <see cref="Destination"/>
/// with a single <c>sendto</c>. The payload is owned by the receiver of the transmit (layers never reuse it).
/// </summary>
public readonly record struct Transmit(IPEndPoint Destination, ReadOnlyMemory<byte> Payload);
