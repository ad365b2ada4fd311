using System.Threading.Channels;
using Enslavism.SlaveHost.PeerConnections;
using Enslavism.Signaling;

namespace Enslavism.SlaveHost.Tests.Infrastructure;

/// <summary>
/// A test implementation of the peer-connection abstraction (the WebRTC stack is a separate issue). The test decides when
/// and how the answer is produced, sees remote candidates in order, and raises local candidates and closure.
/// </summary>
internal sealed class FakePeerConnection(uint clientId) : IPeerConnection
{
    private readonly TaskCompletionSource<string> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _offer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<IceCandidate?> _remote = Channel.CreateUnbounded<IceCandidate?>();

    public event EventHandler<LocalCandidateEventArgs>? LocalCandidate;

    public event EventHandler? Closed;

    public uint ClientId { get; } = clientId;

    /// <summary>The offer SDP passed to <see cref="AcceptOfferAsync"/>.</summary>
    public Task<string> Offer => _offer.Task;

    public Task Disposed => _disposed.Task;

    public bool IsDisposed => _disposed.Task.IsCompleted;

    public int DisposeCount { get; private set; }

    /// <summary>When set, <see cref="AddRemoteCandidate"/> throws it (a WebRTC stack refusing a candidate).</summary>
    public Exception? RemoteCandidateError { get; set; }

    public void Answer(string sdp) => _answer.TrySetResult(sdp);

    public void FailAnswer(Exception error) => _answer.TrySetException(error);

    public void RaiseLocalCandidate(IceCandidate? candidate) => LocalCandidate?.Invoke(this, new LocalCandidateEventArgs(candidate));

    public void RaiseClosed() => Closed?.Invoke(this, EventArgs.Empty);

    public async Task<IceCandidate?> NextRemoteCandidateAsync() =>
        await _remote.Reader.ReadAsync().AsTask().Within($"a remote candidate on client {ClientId}");

    public bool TryReadRemoteCandidate(out IceCandidate? candidate) => _remote.Reader.TryRead(out candidate);

    public async Task<string> AcceptOfferAsync(string offerSdp, CancellationToken cancellationToken)
    {
        _offer.TrySetResult(offerSdp);
        return await _answer.Task.WaitAsync(cancellationToken);
    }

    public void AddRemoteCandidate(IceCandidate? candidate)
    {
        if (IsDisposed)
        {
            throw new InvalidOperationException("candidate after dispose");
        }

        if (RemoteCandidateError is not null)
        {
            throw RemoteCandidateError;
        }

        _remote.Writer.TryWrite(candidate);
    }

    /// <summary>When true, <see cref="DisposeAsync"/> never completes (a stuck WebRTC stack).</summary>
    public bool DisposeHangs { get; set; }

    public ValueTask DisposeAsync()
    {
        DisposeCount++;
        _disposed.TrySetResult();
        return DisposeHangs ? new ValueTask(new TaskCompletionSource().Task) : ValueTask.CompletedTask;
    }
}
