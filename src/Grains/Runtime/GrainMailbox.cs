namespace Enslavism.Grains.Runtime;

/// <summary>
/// Gives one activation single-threaded turns: a call waits until the previous one finished (including its awaits),
/// like an Orleans non-reentrant grain. Waiters are served in arrival order.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "SemaphoreSlim needs disposing only when its wait handle was used; it never is.")]
internal sealed class GrainMailbox
{
    private readonly SemaphoreSlim _turn = new(1, 1);

    public async ValueTask<T> RunAsync<T>(Func<ValueTask<T>> work)
    {
        await _turn.WaitAsync().ConfigureAwait(false);
        try
        {
            return await work().ConfigureAwait(false);
        }
        finally
        {
            _turn.Release();
        }
    }

    public async ValueTask RunAsync(Func<ValueTask> work)
    {
        await _turn.WaitAsync().ConfigureAwait(false);
        try
        {
            await work().ConfigureAwait(false);
        }
        finally
        {
            _turn.Release();
        }
    }

    public async ValueTask<T> Run<T>(Func<T> work)
    {
        await _turn.WaitAsync().ConfigureAwait(false);
        try
        {
            return work();
        }
        finally
        {
            _turn.Release();
        }
    }
}
