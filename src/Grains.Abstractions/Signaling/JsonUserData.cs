using System.Text;
using System.Text.Json;

namespace Enslavism.Signaling;

/// <summary>
/// User data as JSON text, kept as the exact UTF-8 bytes it arrived with. The master never re-serializes it, so what a
/// slave registers reaches clients byte for byte (Enslavism 0.9 peers compare nothing, but caches and signatures might).
/// </summary>
public sealed class JsonUserData : IEquatable<JsonUserData>
{
    private readonly byte[] _utf8;

    private JsonUserData(byte[] utf8) => _utf8 = utf8;

    /// <summary>The empty JSON object, <c>{}</c>.</summary>
    public static JsonUserData EmptyObject { get; } = new("{}"u8.ToArray());

    /// <summary>The JSON text as UTF-8 bytes.</summary>
    public ReadOnlyMemory<byte> Utf8 => _utf8;

    /// <summary>Number of UTF-8 bytes.</summary>
    public int Length => _utf8.Length;

    /// <summary>Validates and copies JSON text; one JSON value with optional surrounding whitespace.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out JsonUserData? userData, out SignalingError error)
    {
        if (!TryValidate(utf8, out error))
        {
            userData = null;
            return false;
        }

        userData = new JsonUserData(utf8.ToArray());
        return true;
    }

    /// <summary>Parses JSON text; throws <see cref="FormatException"/> when it is not one JSON value.</summary>
    public static JsonUserData Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return TryParse(Encoding.UTF8.GetBytes(json), out var data, out var error)
            ? data!
            : throw new FormatException($"User data is not valid JSON ({error}).");
    }

    /// <summary>Serializes a value with System.Text.Json defaults.</summary>
    public static JsonUserData FromValue<T>(T value, JsonSerializerOptions? options = null) =>
        new(JsonSerializer.SerializeToUtf8Bytes(value, options));

    /// <summary>Parses the JSON into a DOM for reading.</summary>
    public JsonDocument ToDocument() => JsonDocument.Parse(_utf8);

    internal static bool TryValidate(ReadOnlySpan<byte> utf8, out SignalingError error)
    {
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
        {
            error = new SignalingError(SignalingErrorKind.InvalidUtf8, "user data is not valid UTF-8");
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read())
            {
                error = new SignalingError(SignalingErrorKind.InvalidJson, "user data is empty");
                return false;
            }

            reader.Skip();
            if (reader.Read())
            {
                error = new SignalingError(SignalingErrorKind.InvalidJson, "user data holds more than one JSON value");
                return false;
            }
        }
        catch (JsonException e)
        {
            error = new SignalingError(SignalingErrorKind.InvalidJson, $"user data is not JSON: {e.Message}");
            return false;
        }

        error = default;
        return true;
    }

    public bool Equals(JsonUserData? other) => other is not null && _utf8.AsSpan().SequenceEqual(other._utf8);

    public override bool Equals(object? obj) => Equals(obj as JsonUserData);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_utf8);
        return hash.ToHashCode();
    }

    /// <summary>The JSON text.</summary>
    public override string ToString() => Encoding.UTF8.GetString(_utf8);
}
