namespace Enslavism.Browser.Tests;

/// <summary>The HTML the tests open: it loads the library exactly as an Enslavism 0.9 page did, with a script tag.</summary>
internal static class TestPages
{
    public const string IndexPath = "/test.html";

    public const string Index = """
        <!doctype html>
        <html>
        <head><meta charset="utf-8"><title>Enslavism browser tests</title></head>
        <body>
        <script src="/enslavism/client.js"></script>
        </body>
        </html>
        """;
}
