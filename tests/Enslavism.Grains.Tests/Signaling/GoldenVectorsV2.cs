using System.Text.Json;

namespace Enslavism.Grains.Tests.Signaling;

/// <summary>Loads tests/vectors/signaling-v2.json: the version-2 additions (ClientLeft, ClientInfo).</summary>
internal static class GoldenVectorsV2
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", "signaling-v2.json"))));

    public static IEnumerable<JsonElement> Valid => Section("vectors");

    public static TheoryData<string> ValidNames() => GoldenVectors.Names(Valid);

    public static TheoryData<string> MalformedNames() => GoldenVectors.Names(Section("malformed"));

    public static TheoryData<string> MalformedUnderV1Names() => GoldenVectors.Names(Section("malformedUnderV1"));

    public static JsonElement Find(string section, string name) => Section(section).Single(v => v.GetProperty("name").GetString() == name);

    private static JsonElement.ArrayEnumerator Section(string name) => Document.Value.RootElement.GetProperty(name).EnumerateArray();
}
