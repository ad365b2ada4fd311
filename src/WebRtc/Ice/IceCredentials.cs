using Enslavism.WebRtc.Core;

namespace Enslavism.WebRtc.Ice;

/// <summary>
/// ICE username fragment and password (RFC 8445 §5.3, syntax RFC 8839 §5.4: ufrag 4–256 and pwd 22–256
/// <c>ice-char</c>s = ALPHA / DIGIT / "+" / "/"). Our ufrag doubles as the routing key of the session on a
/// shared UDP port, so it must be unique per live session; 8 random chars give 48 bits.
/// </summary>
public sealed record IceCredentials
{
    public const int MinUfragLength = 4;
    public const int MinPasswordLength = 22;
    public const int MaxLength = 256;

    private const string IceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    public IceCredentials(string ufrag, string password)
    {
        if (!IsValidIceString(ufrag, MinUfragLength))
        {
            throw new ArgumentException("ufrag must be 4..256 ice-chars", nameof(ufrag));
        }

        if (!IsValidIceString(password, MinPasswordLength))
        {
            throw new ArgumentException("password must be 22..256 ice-chars", nameof(password));
        }

        Ufrag = ufrag;
        Password = password;
    }

    public string Ufrag { get; }

    public string Password { get; }

    /// <summary>Generates credentials from <paramref name="random"/> (pass a cryptographic source in production).</summary>
    public static IceCredentials Generate(IRandomSource random, int ufragLength = 8, int passwordLength = 24)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (ufragLength is < MinUfragLength or > MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(ufragLength));
        }

        if (passwordLength is < MinPasswordLength or > MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(passwordLength));
        }

        return new IceCredentials(RandomIceString(random, ufragLength), RandomIceString(random, passwordLength));
    }

    /// <summary>True when <paramref name="value"/> has minLength..256 chars, all of them ice-chars.</summary>
    public static bool IsValidIceString(string? value, int minLength)
    {
        if (value is null || value.Length < minLength || value.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!IsIceChar(c))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsIceChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '/';

    public override string ToString() => $"ufrag={Ufrag}";

    private static string RandomIceString(IRandomSource random, int length)
    {
        Span<byte> bytes = stackalloc byte[length];
        random.Fill(bytes);
        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < length; i++)
        {
            // 64 symbols: masking 6 bits of a uniform byte is itself uniform.
            chars[i] = IceChars[bytes[i] & 63];
        }

        return new string(chars);
    }
}
