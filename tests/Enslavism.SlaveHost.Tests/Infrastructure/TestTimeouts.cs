namespace Enslavism.SlaveHost.Tests.Infrastructure;

/// <summary>Upper bounds for awaiting events; generous because the machine is shared, never a speed assertion.</summary>
internal static class TestTimeouts
{
    public static readonly TimeSpan Event = TimeSpan.FromSeconds(15);

    public static Task<T> Within<T>(this Task<T> task, string what) =>
        task.WaitAsync(Event).ContinueWith(
            t => t.IsFaulted && t.Exception!.InnerException is TimeoutException
                ? throw new TimeoutException($"Timed out after {Event} waiting for {what}.")
                : t.GetAwaiter().GetResult(),
            TaskScheduler.Default);

    public static Task Within(this Task task, string what) =>
        task.WaitAsync(Event).ContinueWith(
            t =>
            {
                if (t.IsFaulted && t.Exception!.InnerException is TimeoutException)
                {
                    throw new TimeoutException($"Timed out after {Event} waiting for {what}.");
                }

                t.GetAwaiter().GetResult();
            },
            TaskScheduler.Default);
}
