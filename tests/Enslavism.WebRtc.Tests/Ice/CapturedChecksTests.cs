using System.Net;
using Enslavism.WebRtc.Ice;
using Enslavism.WebRtc.Stun;

namespace Enslavism.WebRtc.Tests.Ice;

/// <summary>
/// Binding requests captured from real offering peers (Chromium 156, libdatachannel 0.33.4, pion 3.1.56) talking to
/// this agent over loopback, with the throw-away credentials of that run: the first check and the nominating one.
/// </summary>
public class CapturedChecksTests
{
    public static TheoryData<string, string, string, string, string, string, string> Captured() => new()
    {
        { "chromium", "ZVATYCkZ", "+2ayXJcZcYxlGqMWciNsifU+", "xPxz", "127.0.0.1:37896",
            "000100502112A44230526E3265355763514455790006000D5A56415459436B5A3A7850787A000000C057000400010032802A00089B5F61345C42C41B002400046E7F1EFF00080014E0698C57D72A1AEF368F90CF3E1F8CC9205F3C4580280004AC97C3E6",
            "000100542112A442584A736A3168302F5670796A0006000D5A56415459436B5A3A7850787A000000C057000400010032802A00089B5F61345C42C41B00250000002400046E7F1EFF00080014B3A2D3290CB6152971252D648FCDBEF3B255856580280004C4FBEEC9" },
        { "libdatachannel", "JQLOrupz", "NXmxePhDMEVMh+Pi2bEdFvjG", "/Ro9", "127.0.0.1:60535",
            "000100542112A442982EBDA4C4F388F62FF227F8002400046E0FFFFF802A0008208A328CD090583F802200086C69626A756963650006000D4A514C4F7275707A3A2F526F3900000000080014352739D9DB4E88B87C8972B9DBA4AEFD529BC03080280004582FCFF5",
            "000100582112A4427612FB3C52D144A86104F2CA002400046E0FFFFF00250000802A0008208A328CD090583F802200086C69626A756963650006000D4A514C4F7275707A3A2F526F39000000000800146E9F55E27D6F74AB707BB788691447EBD49343158028000454A5D3AF" },
        { "pion", "fgXDPIhO", "U4kG6ZduBMC3c0HwSxFTrUXo", "uqlklDbKJncVkGAn", "127.0.0.1:33157",
            "000100542112A442DB66A8FAC369EF5F5269526300060019666758445049684F3A75716C6B6C44624B4A6E63566B47416E000000802A0008939B0009D10DFF61002400047EFFFFFF0008001486641CFB45140DBAC9EBE6E714B4F7D61F83562A80280004F1D8A4EE",
            "000100582112A442C10B8BC4D6F3A193D9FF5FC300060019666758445049684F3A75716C6B6C44624B4A6E63566B47416E00000000250000802A0008939B0009D10DFF61002400047EFFFFFF000800146A1AA64D071D10A57B2CEFFB5DBF45C6A6B6604F802800042218F604" },
    };

    [Theory]
    [MemberData(nameof(Captured))]
    public void CapturedChecks_AuthenticatedAnsweredAndNominated(string peer, string localUfrag, string localPwd,
        string remoteUfrag, string source, string firstHex, string nominatingHex)
    {
        var first = Convert.FromHexString(firstHex);
        var nominating = Convert.FromHexString(nominatingHex);
        var from = IPEndPoint.Parse(source);
        var agent = new IceLiteAgent(TimeSpan.Zero, new IceCredentials(localUfrag, localPwd), remoteUfrag, "unused-remote-password");

        Assert.True(StunUsername.TryGetLocalUfrag(first, out var routed), peer);
        Assert.Equal(localUfrag, routed);
        agent.HandleInput(TimeSpan.FromMilliseconds(10), from, first);
        agent.HandleInput(TimeSpan.FromMilliseconds(60), from, nominating);

        Assert.Equal(2, agent.Stats.ValidChecks);
        Assert.Equal(from, agent.SelectedRemote);
        Assert.True(agent.TryPollEvent(out var selected));
        Assert.Equal(new IceEvent(IceEventKind.Selected, from), selected);
        for (var i = 0; i < 2; i++)
        {
            Assert.True(agent.TryPollTransmit(out var transmit));
            Assert.True(StunMessage.TryParse(transmit.Payload.Span, out var response, out _));
            Assert.Equal(StunMessageClass.SuccessResponse, response!.Class);
            Assert.True(XorMappedAddress.TryRead(response, out var mapped));
            Assert.Equal(from, mapped);
        }
    }

    [Theory]
    [MemberData(nameof(Captured))]
    public void CapturedChecks_WrongLocalPassword_Unauthenticated(string peer, string localUfrag, string localPwd,
        string remoteUfrag, string source, string firstHex, string nominatingHex)
    {
        _ = nominatingHex;
        var wrong = new IceCredentials(localUfrag, localPwd[..^1] + (localPwd[^1] == 'A' ? 'B' : 'A'));
        var agent = new IceLiteAgent(TimeSpan.Zero, wrong, remoteUfrag, "unused-remote-password");
        agent.HandleInput(TimeSpan.Zero, IPEndPoint.Parse(source), Convert.FromHexString(firstHex));
        Assert.True(agent.Stats.Unauthenticated == 1, peer);
        Assert.Null(agent.ActiveRemote);
    }
}
