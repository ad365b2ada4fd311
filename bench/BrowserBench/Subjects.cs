using Microsoft.Playwright;

namespace Enslavism.Bench.Browser;

/// <summary>
/// The peer that the benchmark page measures against. The page always plays the browser side; a subject decides what
/// answers it. Adding a peer (our .NET slave) means adding one implementation, typically a
/// <see cref="RemoteAnswererSubject"/> wrapping a <c>Func&lt;string, Task&lt;string&gt;&gt;</c> that turns the page's
/// offer SDP into an answer SDP, with the peer speaking the echo/count/ctl protocol described in wwwroot/bench.js.
/// </summary>
internal interface IBenchSubject : IAsyncDisposable
{
    /// <summary>Column name in the table and key in the JSON results.</summary>
    string Name { get; }

    /// <summary>"loop" (both peers inside the page) or "remote" (the page offers, <see cref="AnswerAsync"/> answers).</summary>
    string Mode { get; }

    /// <summary>
    /// "none": send the offer as soon as it exists (enough for an ICE-lite answerer, which never sends checks);
    /// "complete": wait for ICE gathering first, for answerers that must know the page's candidates.
    /// </summary>
    string Gather { get; }

    /// <summary>Called once per browser launch, before any run; the subject may open pages of its own.</summary>
    Task StartAsync(IBrowser browser, Uri baseUrl, CancellationToken ct);

    /// <summary>Remote mode only: answers the page's offer (full SDP, no trickle) with the answer SDP.</summary>
    Task<string> AnswerAsync(string offerSdp, CancellationToken ct);

    /// <summary>Called after each browser launch's runs, before the browser closes.</summary>
    Task StopAsync();
}

/// <summary>The anchor: Chrome↔Chrome inside one page, trickle ICE, the JS responder on the answering side.</summary>
internal sealed class ChromeLoopSubject : IBenchSubject
{
    public string Name => "chrome-chrome";
    public string Mode => "loop";
    public string Gather => "none";

    public Task StartAsync(IBrowser browser, Uri baseUrl, CancellationToken ct) => Task.CompletedTask;

    public Task<string> AnswerAsync(string offerSdp, CancellationToken ct) =>
        throw new InvalidOperationException("loop mode answers inside the page");

    public Task StopAsync() => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>
/// A remote answerer given as a delegate: the seam for our stack. Example, once the slave exists:
/// <code>new RemoteAnswererSubject("enslavism-chrome", (offer, ct) => slave.AnswerAsync(offer, ct))</code>
/// where the slave echoes on "rtt*" channels, counts on "bulk*" channels and answers the ctl protocol.
/// </summary>
internal sealed class RemoteAnswererSubject(
    string name,
    Func<string, CancellationToken, Task<string>> answer,
    string gather = "none") : IBenchSubject
{
    public string Name => name;
    public string Mode => "remote";
    public string Gather => gather;

    public Task StartAsync(IBrowser browser, Uri baseUrl, CancellationToken ct) => Task.CompletedTask;

    public Task<string> AnswerAsync(string offerSdp, CancellationToken ct) => answer(offerSdp, ct);

    public Task StopAsync() => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>
/// Chrome as the remote answerer, in a second page (its own renderer process) running the JS responder. It exercises
/// the remote path (benchSignal, non-trickle answer, ctl protocol, peer→browser "send") end to end, so the seam is
/// proven before our slave plugs into it. Its answer waits for Chrome's ICE gathering, so its setup is not an anchor.
/// </summary>
internal sealed class ChromeRemoteSubject : IBenchSubject
{
    private IPage? _page;

    public string Name => "chrome-remote";
    public string Mode => "remote";
    public string Gather => "none";

    public async Task StartAsync(IBrowser browser, Uri baseUrl, CancellationToken ct)
    {
        _page = await browser.NewPageAsync();
        await _page.GotoAsync(new Uri(baseUrl, "bench.html").ToString());
        await _page.WaitForFunctionAsync("() => window.bench !== undefined", null, new() { Timeout = 10_000 });
    }

    public Task<string> AnswerAsync(string offerSdp, CancellationToken ct)
    {
        var page = _page ?? throw new InvalidOperationException("not started");
        return page.EvaluateAsync<string>("offer => window.bench.answerOffer(offer)", offerSdp).WaitAsync(ct);
    }

    public async Task StopAsync()
    {
        if (_page is not null)
        {
            await _page.CloseAsync();
            _page = null;
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
