namespace Enslavism.WebRtc.Dtls;

/// <summary>
/// One DTLS 1.2 association (RFC 6347) as used by WebRTC (RFC 8827 §6.5, RFC 8842), in the sans-IO shape of the
/// other layers: datagrams and time in, datagrams and events out.
/// </summary>
/// <remarks>
/// <para>Run-loop contract (single event-loop thread, except <see cref="RunHandshake"/>):</para>
/// <list type="number">
/// <item><see cref="Start"/> once with the current time (arms the handshake deadline).</item>
/// <item>If <see cref="RequiresHandshakeWorker"/>, acquire a <see cref="DtlsHandshakeLimiter"/> lease and call
/// <see cref="RunHandshake"/> on a worker thread; it blocks until the handshake ends. While it runs the engine
/// produces datagrams on that worker and signals them through <see cref="OutputAvailable"/>.</item>
/// <item>For every received DTLS datagram (RFC 7983 first byte 20–63, from the ICE-selected address) call
/// <see cref="HandleInput"/>; after each input, each <see cref="OutputAvailable"/> signal and each
/// <see cref="HandleTimeout"/>, drain <see cref="TryPollTransmit"/> (to the socket) and <see cref="TryPollEvent"/>
/// (to SCTP), then wait until <see cref="PollTimeout"/> or the next input.</item>
/// <item>After <see cref="DtlsHandshakeCompleted"/>, <see cref="Send"/> one SCTP packet per call.</item>
/// </list>
/// <para>Malformed or hostile input never throws out of these methods: it is dropped and counted, or it fails the
/// session with a <see cref="DtlsFailed"/> event. Only misuse (e.g. calling <see cref="RunHandshake"/> twice) throws.</para>
/// </remarks>
public interface IDtlsEngine : IDisposable
{
    DtlsRole Role { get; }

    DtlsEngineState State { get; }

    /// <summary>Largest plaintext accepted by <see cref="Send"/>; 0 until the handshake completed.</summary>
    int MaxApplicationDataSize { get; }

    /// <summary>True when the host must call <see cref="RunHandshake"/> on a worker thread.</summary>
    bool RequiresHandshakeWorker { get; }

    /// <summary>
    /// Invoked whenever new datagrams or events are queued from a thread other than the caller of the engine's
    /// methods (the handshake worker). It may run on any thread and must only schedule a drain on the event loop.
    /// </summary>
    Action? OutputAvailable { get; set; }

    /// <summary>Arms the handshake deadline; a client role starts its ClientHello once the handshake runs.</summary>
    void Start(TimeSpan now);

    /// <summary>
    /// Runs the blocking part of the handshake (BouncyCastle's handshake is blocking). Returns when the handshake
    /// completed, failed, timed out (<see cref="HandleTimeout"/>) or <paramref name="cancellationToken"/> fired; the
    /// outcome is reported as an event, never as an exception. Engines without a blocking handshake return at once.
    /// </summary>
    void RunHandshake(CancellationToken cancellationToken);

    /// <summary>One received UDP payload that demultiplexed as DTLS.</summary>
    void HandleInput(TimeSpan now, ReadOnlySpan<byte> datagram);

    /// <summary>Call when <see cref="PollTimeout"/> has passed.</summary>
    void HandleTimeout(TimeSpan now);

    /// <summary>Next time <see cref="HandleTimeout"/> must be called, or null.</summary>
    TimeSpan? PollTimeout();

    /// <summary>Next datagram to send to the peer. The memory is owned by the caller from then on.</summary>
    bool TryPollTransmit(out ReadOnlyMemory<byte> datagram);

    bool TryPollEvent([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DtlsEvent? dtlsEvent);

    /// <summary>Encrypts one application_data record (one SCTP packet) and queues it for transmission.</summary>
    DtlsSendResult Send(ReadOnlySpan<byte> applicationData);

    /// <summary>
    /// Bytes a sealed application_data record adds to its plaintext (header, explicit nonce, tag); 0 until the
    /// handshake completed. A <see cref="SendTo"/> destination must hold the plaintext length plus this.
    /// </summary>
    int RecordOverhead { get; }

    /// <summary>
    /// Like <see cref="Send"/>, but seals the record straight into <paramref name="destination"/>, a buffer the caller
    /// owns and sends itself, instead of queueing it for <see cref="TryPollTransmit"/>. A destination shorter than the
    /// plaintext plus <see cref="RecordOverhead"/> is a programming error and throws.
    /// </summary>
    /// <param name="written">Length of the datagram in <paramref name="destination"/> when the result is Sent.</param>
    DtlsSendResult SendTo(ReadOnlySpan<byte> applicationData, Span<byte> destination, out int written);

    /// <summary>Sends close_notify (if connected), aborts a running handshake, and moves to <see cref="DtlsEngineState.Closed"/>.</summary>
    void Close();
}
