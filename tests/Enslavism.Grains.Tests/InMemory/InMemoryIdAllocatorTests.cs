namespace Enslavism.Grains.Tests.InMemory;

public sealed class InMemoryIdAllocatorTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public async Task Allocate_HandsOutSequentialIdsFromFirstId()
    {
        var ids = Create(new InMemoryGrainOptions { FirstId = 0 });

        Assert.Equal(0u, await ids.AllocateAsync());
        Assert.Equal(1u, await ids.AllocateAsync());
        Assert.Equal(2u, await ids.AllocateAsync());
    }

    [Fact]
    public async Task Allocate_WrapsAroundAfterUInt32MaxValue_SkippingLiveIds()
    {
        var ids = Create(new InMemoryGrainOptions { StartId = uint.MaxValue - 1, IdQuarantine = TimeSpan.Zero });
        Assert.Equal(uint.MaxValue - 1, await ids.AllocateAsync());
        Assert.Equal(uint.MaxValue, await ids.AllocateAsync());
        Assert.Equal(0u, await ids.AllocateAsync());
        Assert.Equal(1u, await ids.AllocateAsync());
    }

    [Fact]
    public async Task Allocate_AfterWrapAround_SkipsIdsStillLive()
    {
        var ids = Create(new InMemoryGrainOptions { FirstId = 0, MaxId = 4, IdQuarantine = TimeSpan.Zero });
        for (var i = 0; i < 5; i++)
        {
            await ids.AllocateAsync();
        }

        await ids.ReleaseAsync(3);
        await ids.ReleaseAsync(1);

        // The cursor wrapped to 0 (live), so the first free id after it is 1, then 3.
        Assert.Equal(1u, await ids.AllocateAsync());
        Assert.Equal(3u, await ids.AllocateAsync());
        await Assert.ThrowsAsync<IdSpaceExhaustedException>(async () => await ids.AllocateAsync());
    }

    [Fact]
    public async Task Allocate_WrapsInSmallSpace_AndSkipsLiveAndQuarantinedIds()
    {
        var ids = Create(new InMemoryGrainOptions { FirstId = 10, MaxId = 13, IdQuarantine = TimeSpan.FromSeconds(60) });
        var allocated = new List<uint>();
        for (var i = 0; i < 4; i++)
        {
            allocated.Add(await ids.AllocateAsync());
        }

        Assert.Equal(new uint[] { 10, 11, 12, 13 }, allocated);

        await ids.ReleaseAsync(11);
        await Assert.ThrowsAsync<IdSpaceExhaustedException>(async () => await ids.AllocateAsync());

        _time.Advance(TimeSpan.FromSeconds(59));
        await Assert.ThrowsAsync<IdSpaceExhaustedException>(async () => await ids.AllocateAsync());

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(11u, await ids.AllocateAsync());
    }

    [Fact]
    public async Task Release_QuarantinesId_SoTheNextAllocationsPickOthers()
    {
        var ids = Create(new InMemoryGrainOptions { FirstId = 1, MaxId = 3, IdQuarantine = TimeSpan.FromSeconds(60) });
        Assert.Equal(1u, await ids.AllocateAsync());
        await ids.ReleaseAsync(1);

        Assert.Equal(2u, await ids.AllocateAsync());
        Assert.Equal(3u, await ids.AllocateAsync());

        // The cursor wrapped to 1, which is quarantined: nothing is free.
        await Assert.ThrowsAsync<IdSpaceExhaustedException>(async () => await ids.AllocateAsync());
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1u, await ids.AllocateAsync());
    }

    [Fact]
    public async Task Release_OfAnIdNotLive_IsIgnored()
    {
        var ids = Create(new InMemoryGrainOptions { FirstId = 1, MaxId = 2, IdQuarantine = TimeSpan.FromSeconds(60) });
        await ids.ReleaseAsync(2);

        // 2 was never allocated, so releasing it must not quarantine it.
        Assert.Equal(1u, await ids.AllocateAsync());
        Assert.Equal(2u, await ids.AllocateAsync());
    }

    [Fact]
    public async Task ConcurrentAllocations_AreUnique()
    {
        var ids = Create(new InMemoryGrainOptions());
        var all = await Task.WhenAll(Enumerable.Range(0, 2000).Select(_ => Task.Run(async () => await ids.AllocateAsync())));

        Assert.Equal(2000, all.Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 2000).Select(i => (uint)i), all.Order());
    }

    private InMemoryIdAllocator Create(InMemoryGrainOptions options) => new(options, _time);
}
