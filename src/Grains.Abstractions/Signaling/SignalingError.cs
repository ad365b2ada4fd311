namespace Enslavism.Signaling;

/// <summary>A decoding failure: the kind, for programs, and a detail, for people reading logs.</summary>
public readonly record struct SignalingError(SignalingErrorKind Kind, string Detail)
{
    public override string ToString() => $"{Kind}: {Detail}";
}
