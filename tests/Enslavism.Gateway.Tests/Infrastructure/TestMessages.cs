using Enslavism.Signaling;

namespace Enslavism.Gateway.Tests.Infrastructure;

internal static class TestMessages
{
    public static JsonUserData Json(string json) => JsonUserData.Parse(json);

    /// <summary>Registers a slave and learns its id from the AddSlaves a watching client receives.</summary>
    public static async Task<uint> RegisterAndLearnIdAsync(TestPeer slave, TestPeer watcher, string userData)
    {
        await slave.SendAsync(new Register(Json(userData)));
        var added = await watcher.ReceiveAsync<AddSlaves>();
        var entry = Assert.Single(added.Slaves);
        Assert.Equal(userData, entry.UserData.ToString());
        return entry.Id;
    }
}
