using System.Net;
using Enslavism.WebRtc.Core;
using Enslavism.WebRtc.Dtls;
using Enslavism.WebRtc.Session;

namespace Enslavism.WebRtc.Host;

/// <summary>Configuration of a <see cref="WebRtcEndpoint"/>.</summary>
public sealed record WebRtcEndpointOptions
{
    /// <summary>Local address to bind. Default: IPv6 any, dual-mode (IPv4 too), ephemeral port.</summary>
    public IPEndPoint BindEndPoint { get; init; } = new(IPAddress.IPv6Any, 0);

    /// <summary>
    /// Addresses announced as host candidates in answers (with the bound port). Empty: 127.0.0.1 when bound to any or
    /// loopback, otherwise the bound address. Behind NAT/containers set the public address.
    /// </summary>
    public IReadOnlyList<IPAddress> AnnouncedAddresses { get; init; } = [];

    /// <summary>Our certificate; null = a fresh self-signed ECDSA P-256 identity per endpoint.</summary>
    public DtlsIdentity? Identity { get; init; }

    /// <summary>Drop datagrams from non-loopback sources (interop and tests run loopback-only).</summary>
    public bool LoopbackOnly { get; init; }

    public WebRtcSessionOptions Session { get; init; } = WebRtcSessionOptions.Default;

    /// <summary>Sessions alive at once on this endpoint.</summary>
    public int MaxSessions { get; init; } = 1000;

    /// <summary>Concurrent DTLS handshakes (each occupies a worker thread); others wait for a slot.</summary>
    public int MaxConcurrentHandshakes { get; init; } = 32;

    /// <summary>Datagrams and commands queued for the event loop; datagrams beyond it are dropped (counted).</summary>
    public int MaxQueuedInputs { get; init; } = 16384;

    /// <summary>SO_RCVBUF/SO_SNDBUF (the kernel may clamp to net.core.rmem_max/wmem_max).</summary>
    public int SocketBufferSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>Largest datagram read; bigger ones are truncated by the kernel and then rejected by the parsers.</summary>
    public int MaxDatagramSize { get; init; } = 2048;

    /// <summary>Our <c>a=max-message-size</c>.</summary>
    public long MaxMessageSize { get; init; } = 256 * 1024;

    /// <summary>Null = <see cref="BcDtlsEngine"/>.</summary>
    public DtlsEngineFactory? DtlsEngineFactory { get; init; }

    public IRandomSource Random { get; init; } = CryptoRandomSource.Instance;

    /// <summary>
    /// At start, run one in-memory session (both DTLS roles, SCTP, a data channel; no network) on a background thread,
    /// so JIT and BouncyCastle's static initialisation are paid before the first real client (0.25–0.45 s measured).
    /// Once per process: later endpoints share it. The endpoint accepts sessions at once;
    /// <see cref="WebRtcEndpoint.WhenWarmedUp"/> tells when it finished.
    /// </summary>
    public bool WarmUp { get; init; } = true;
}
