using System.Net;
using System.Net.Sockets;

namespace Enslavism.WebRtc.Sdp;

/// <summary>What the slave announces in every answer. Call <see cref="Validate"/> (the builder does).</summary>
public sealed record SdpAnswerOptions
{
    public const long MinMaxMessageSize = 256 * 1024;

    /// <summary>
    /// Host candidates to announce (IPv4 and/or IPv6, UDP), in order of preference; the first one also gives the
    /// m-line port and the c= address. Behind NAT/containers these are the public addresses (like mediasoup's
    /// announcedIp), not necessarily the bound ones.
    /// </summary>
    public required IReadOnlyList<IPEndPoint> Candidates { get; init; }

    /// <summary>SHA-256 of our DTLS certificate (DER), 32 bytes.</summary>
    public required byte[] CertificateSha256 { get; init; }

    /// <summary>Largest message we reassemble (<c>a=max-message-size</c>, RFC 8841 §6); at least 256 KiB so browsers can send their default maximum.</summary>
    public long MaxMessageSize { get; init; } = MinMaxMessageSize;

    /// <summary>Our SCTP port (<c>a=sctp-port</c>): source port of our SCTP packets.</summary>
    public int SctpPort { get; init; } = 5000;

    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Candidates);
        if (Candidates.Count == 0)
        {
            throw new ArgumentException("at least one candidate address is required", nameof(Candidates));
        }

        foreach (var candidate in Candidates)
        {
            ArgumentNullException.ThrowIfNull(candidate, nameof(Candidates));
            if (candidate.Port == 0 || candidate.Address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
                || candidate.Address.Equals(IPAddress.Any) || candidate.Address.Equals(IPAddress.IPv6Any))
            {
                throw new ArgumentException($"candidate {candidate} must be a concrete IPv4/IPv6 address with a port", nameof(Candidates));
            }
        }

        if (Candidates.Count > 255)
        {
            throw new ArgumentException("more than 255 candidates", nameof(Candidates));
        }

        if (CertificateSha256 is not { Length: 32 })
        {
            throw new ArgumentException("the certificate SHA-256 digest must be 32 bytes", nameof(CertificateSha256));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMessageSize, MinMaxMessageSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(SctpPort, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(SctpPort, 65535);
    }
}
