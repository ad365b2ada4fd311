namespace Enslavism.SlaveHost.Tests.Infrastructure;

/// <summary>Upper bounds for awaiting events; generous because the machine is shared, never a speed assertion.</summary>
internal static class TestTimeouts
{
    public static readonly TimeSpan Event = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Awaits the task for at most <see cref="Event"/>. The task's own exceptions (a TimeoutException included) pass
    /// through unchanged; only the bound running out throws <see cref="TestTimeoutException"/>.
    /// </summary>
    public static async Task<T> Within<T>(this Task<T> task, string what)
    {
        await ((Task)task).Within(what);
        return await task;
    }

    public static async Task Within(this Task task, string what)
    {
        using var cts = new CancellationTokenSource();
        var finished = await Task.WhenAny(task, Task.Delay(Event, cts.Token));
        if (finished != task)
        {
            throw new TestTimeoutException($"Timed out after {Event} waiting for {what}.");
        }

        await cts.CancelAsync();
        await task;
    }
}

/// <summary>A test waited longer than <see cref="TestTimeouts.Event"/>; distinct from the product's TimeoutException.</summary>
internal sealed class TestTimeoutException(string message) : Exception(message);
