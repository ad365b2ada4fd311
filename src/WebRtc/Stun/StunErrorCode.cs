using System.Text;

namespace Enslavism.WebRtc.Stun;

/// <summary>
/// ERROR-CODE attribute, RFC 8489 §14.8: 21 reserved bits, class (3 bits, 3–6), number (0–99), UTF-8 reason
/// phrase (at most 127 characters / 763 bytes). Codes used by ICE are listed as constants.
/// </summary>
public readonly record struct StunErrorCode(int Code, string Reason)
{
    public const int BadRequest = 400;
    public const int Unauthenticated = 401;
    public const int UnknownAttribute = 420;
    public const int RoleConflict = 487;
    public const int MaxReasonBytes = 763;

    public static void Write(StunMessageWriter writer, int code, string reason)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(reason);
        if (code is < 300 or > 699)
        {
            throw new ArgumentOutOfRangeException(nameof(code), code, "STUN error codes are 300..699");
        }

        var reasonBytes = Encoding.UTF8.GetByteCount(reason);
        if (reasonBytes > MaxReasonBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(reason), reasonBytes, "reason phrase is too long");
        }

        var value = writer.AddAttribute(StunAttributeType.ErrorCode, 4 + reasonBytes);
        value[2] = (byte)(code / 100);
        value[3] = (byte)(code % 100);
        Encoding.UTF8.GetBytes(reason, value[4..]);
    }

    public static bool TryRead(StunMessage message, out StunErrorCode error)
    {
        ArgumentNullException.ThrowIfNull(message);
        error = default;
        if (!message.TryGetAttribute(StunAttributeType.ErrorCode, out var attribute) || attribute.Length < 4
            || attribute.Length > 4 + MaxReasonBytes)
        {
            return false;
        }

        var value = message.GetValue(attribute);
        var errorClass = value[2] & 0x07;
        var number = value[3];
        if (errorClass is < 3 or > 6 || number > 99)
        {
            return false;
        }

        error = new StunErrorCode(errorClass * 100 + number, Encoding.UTF8.GetString(value[4..]));
        return true;
    }
}
