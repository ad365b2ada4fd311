namespace Enslavism.Gateway.Demo;

/// <summary>The demo: a page at <c>/</c> and one in-process echo slave. Section <c>Enslavism:Demo</c>.</summary>
public sealed class DemoOptions
{
    public const string SectionName = "Enslavism:Demo";

    /// <summary>Runs the demo slave and serves the demo page. Off unless configured (Development turns it on).</summary>
    public bool Enabled { get; set; }

    /// <summary>The demo slave's listed name (its user data is <c>{"name": Name, "demo": true}</c>).</summary>
    public string Name { get; set; } = "Demo echo slave";

    /// <summary>
    /// Address the demo slave announces to browsers. The default 127.0.0.1 works when the browser runs on this machine;
    /// set the machine's address to open the demo from elsewhere.
    /// </summary>
    public string AnnouncedAddress { get; set; } = "127.0.0.1";

    /// <summary>UDP port of the demo slave's WebRTC socket; 0 picks a free one.</summary>
    public int UdpPort { get; set; }
}
