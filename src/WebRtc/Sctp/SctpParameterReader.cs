namespace Enslavism.WebRtc.Sctp;

/// <summary>Decodes a list of TLV parameters (RFC 9260 §3.2.1); tolerates a missing pad after the last one.</summary>
public static class SctpParameterReader
{
    /// <summary>Upper bound on parameters in one chunk so a hostile chunk cannot make us allocate without limit.</summary>
    public const int MaxParameters = 64;

    public static bool TryParseAll(ReadOnlySpan<byte> data, List<SctpParameter> parameters, out SctpParseError error)
    {
        var offset = 0;
        while (offset < data.Length)
        {
            if (data.Length - offset < 4)
            {
                // Up to 3 trailing zero bytes are padding; anything else is garbage.
                if (data[offset..].ContainsAnyExcept((byte)0))
                {
                    error = SctpParseError.TooShort("parameter header");
                    return false;
                }

                break;
            }

            var type = SctpWire.ReadU16(data, offset);
            var length = SctpWire.ReadU16(data, offset + 2);
            if (length < 4 || offset + length > data.Length)
            {
                error = SctpParseError.BadLength("parameter " + type);
                return false;
            }

            if (parameters.Count >= MaxParameters)
            {
                error = SctpParseError.Invalid("too many parameters");
                return false;
            }

            var value = data.Slice(offset + 4, length - 4);
            if (!TryParseOne(type, value, data.Slice(offset, length), out var parameter, out error))
            {
                return false;
            }

            parameters.Add(parameter!);
            offset += SctpWire.Pad4(length);
        }

        error = default;
        return true;
    }

    private static bool TryParseOne(ushort type, ReadOnlySpan<byte> value, ReadOnlySpan<byte> tlv, out SctpParameter? parameter, out SctpParseError error)
    {
        error = default;
        switch ((SctpParameterType)type)
        {
            case SctpParameterType.StateCookie:
                parameter = new StateCookieParameter(value.ToArray());
                return true;
            case SctpParameterType.UnrecognizedParameter:
                parameter = new UnrecognizedParameter(value.ToArray());
                return true;
            case SctpParameterType.ForwardTsnSupported:
                parameter = ForwardTsnSupportedParameter.Instance;
                return true;
            case SctpParameterType.SupportedExtensions:
                parameter = new SupportedExtensionsParameter(value.ToArray());
                return true;
            case SctpParameterType.OutgoingSsnResetRequest:
                return OutgoingSsnResetRequestParameter.TryParseValue(value, out parameter, out error);
            case SctpParameterType.IncomingSsnResetRequest:
                return IncomingSsnResetRequestParameter.TryParseValue(value, out parameter, out error);
            case SctpParameterType.ReConfigResponse:
                return ReConfigResponseParameter.TryParseValue(value, out parameter, out error);
            default:
                _ = tlv;
                parameter = new UnknownParameter(type, value.ToArray());
                return true;
        }
    }
}
