namespace Enslavism.SlaveHost.Tests;

public sealed class MasterUriTests
{
    [Theory]
    [InlineData("ws://127.0.0.1:8081", "ws://127.0.0.1:8081/enslavism/slaves")]
    [InlineData("ws://127.0.0.1:8081/", "ws://127.0.0.1:8081/enslavism/slaves")]
    [InlineData("http://127.0.0.1:8081", "ws://127.0.0.1:8081/enslavism/slaves")]
    [InlineData("https://master.example", "wss://master.example/enslavism/slaves")]
    [InlineData("wss://master.example:443/game/", "wss://master.example/game/enslavism/slaves")]
    [InlineData("ws://127.0.0.1:8081/game?region=eu", "ws://127.0.0.1:8081/game/enslavism/slaves?region=eu")]
    public void ForSlaves_AppendsTheSlavesPathToTheBase(string baseUrl, string expected)
    {
        Assert.Equal(new Uri(expected), MasterUri.ForSlaves(new Uri(baseUrl)));
    }

    [Theory]
    [InlineData("ftp://127.0.0.1")]
    [InlineData("ws://127.0.0.1/#x")]
    public void ForSlaves_RejectsUnusableUrls(string baseUrl)
    {
        Assert.Throws<ArgumentException>(() => MasterUri.ForSlaves(new Uri(baseUrl)));
    }

    [Fact]
    public void ForSlaves_RejectsRelativeUrls()
    {
        Assert.Throws<ArgumentException>(() => MasterUri.ForSlaves(new Uri("/x", UriKind.Relative)));
    }
}
