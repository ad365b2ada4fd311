using Enslavism.WebRtc.Host;

namespace Enslavism.WebRtc.Tests.Host;

public sealed class EventDispatcherTests
{
    [Fact]
    public void Posts_RunInOrder()
    {
        var dispatcher = new EventDispatcher("test-events");
        var seen = new List<int>();
        for (var i = 0; i < 100; i++)
        {
            var n = i;
            dispatcher.Post(() => seen.Add(n));
        }

        dispatcher.Complete();
        Assert.True(dispatcher.Join(TimeSpan.FromSeconds(10)));
        Assert.Equal(Enumerable.Range(0, 100), seen);
    }

    [Fact]
    public void ThrowingHandler_CountedAndLaterEventsRun()
    {
        var dispatcher = new EventDispatcher("test-events");
        var ran = false;
        dispatcher.Post(() => throw new InvalidOperationException("handler bug"));
        dispatcher.Post(() => ran = true);
        dispatcher.Complete();
        Assert.True(dispatcher.Join(TimeSpan.FromSeconds(10)));
        Assert.True(ran);
        Assert.Equal(1, dispatcher.HandlerFaults);
    }

    [Fact]
    public void PostAfterComplete_IsDropped()
    {
        var dispatcher = new EventDispatcher("test-events");
        dispatcher.Complete();
        Assert.True(dispatcher.Join(TimeSpan.FromSeconds(10)));
        var ran = false;
        dispatcher.Post(() => ran = true);
        Assert.False(ran);
    }
}
